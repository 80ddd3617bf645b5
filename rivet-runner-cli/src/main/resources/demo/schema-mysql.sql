-- Sample data of `rivet demo --engine mysql` (embedded MariaDB): one large table and one of hostile values.
SET SESSION time_zone = '+00:00';
SET SESSION sql_mode = '';
CREATE TABLE orders (
  id          BIGINT PRIMARY KEY,
  customer_id INT NOT NULL,
  amount      DECIMAL(12,2) NOT NULL,
  status      VARCHAR(16) NOT NULL,
  created_at  TIMESTAMP(6) NOT NULL,
  ordered_on  DATE NOT NULL,
  note        VARCHAR(200) NULL
);
INSERT INTO orders
SELECT seq, (seq * 7919) % 100000, ((seq * 31) % 1000000) / 100, ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'returned'),
       TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq * 17 SECOND, DATE '2024-01-01' + INTERVAL (seq % 700) DAY,
       IF(seq % 10 = 0, NULL, CONCAT('order #', seq))
FROM seq_1_to_${ROWS};
CREATE TABLE type_showcase (
  id INT PRIMARY KEY,
  c_tinyint TINYINT, c_bool TINYINT(1), c_bit10 BIT(10), c_smallint_u SMALLINT UNSIGNED, c_int INT,
  c_int_u INT UNSIGNED, c_bigint BIGINT, c_bigint_u BIGINT UNSIGNED, c_float FLOAT, c_double DOUBLE,
  c_decimal DECIMAL(38,10), c_date DATE, c_datetime DATETIME(6), c_ts TIMESTAMP(6) NULL DEFAULT NULL, c_time TIME(6),
  c_year YEAR, c_varchar VARCHAR(50), c_text TEXT, c_enum ENUM('sad','ok','happy'), c_set SET('a','b','c'), c_json JSON,
  c_blob BLOB
);
INSERT INTO type_showcase VALUES
 (1, -128, 0, b'0000000000', 0, -2147483648, 0, -9223372036854775808, 0, -3.40282e38, -1.7976931348623157e308,
  -9999999999999999999999999999.9999999999, '1000-01-01', '1000-01-01 00:00:00', '1970-01-01 00:00:01', '00:00:00',
  1901, '', '', 'sad', '', '{}', X''),
 (2, 127, 1, b'1111111111', 65535, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615, 3.40282e38,
  1.7976931348623157e308, 9999999999999999999999999999.9999999999, '9999-12-31', '9999-12-31 23:59:59.999999',
  '2038-01-19 03:14:07.999999', '23:59:59.999999', 2155, 'héllo wörld ✓ 日本語 🎉', REPEAT('long ', 2000), 'happy',
  'a,c', '{"a": [1, 2, {"b": null}]}', 0xDEADBEEF00FF),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL),
 (4, 1, 0, b'0000000001', 1, 1, 1, 1, 1, 1.5, 0.1, 0.0000000001, '0000-00-00', '0000-00-00 00:00:00',
  '2021-03-28 01:30:00.123456', '12:34:56.123456', 2024, 'line1\nline2 "q", c', 'tab\there', 'ok', 'b',
  '"just a string"', 0x00);
ANALYZE TABLE orders;
