package io.rivet.cli;

/**
 * MySQL/MariaDB's hostile showcase: every supported type at its limits, unsigned extremes, zero
 * dates, NULLs and awkward text, in table {@code types} (PostgreSQL's is the demo's {@code
 * demo.type_showcase}).
 */
final class HostileShowcase {
  private HostileShowcase() {}

  static final String[] MARIADB = {
    """
        CREATE TABLE types (
          id INT PRIMARY KEY,
          c_tinyint TINYINT, c_tinyint_u TINYINT UNSIGNED, c_bool TINYINT(1), c_bit1 BIT(1), c_bit10 BIT(10),
          c_smallint SMALLINT, c_smallint_u SMALLINT UNSIGNED, c_mediumint MEDIUMINT, c_int INT, c_int_u INT UNSIGNED,
          c_bigint BIGINT, c_bigint_u BIGINT UNSIGNED, c_float FLOAT, c_double DOUBLE,
          c_decimal DECIMAL(38,10), c_dec_small DECIMAL(5,2),
          c_date DATE, c_datetime DATETIME(6), c_ts TIMESTAMP(6) NULL DEFAULT NULL, c_time TIME(6), c_year YEAR,
          c_char CHAR(3), c_varchar VARCHAR(50), c_text TEXT, c_enum ENUM('sad','ok','happy'), c_set SET('a','b','c'),
          c_json JSON, c_binary BINARY(4), c_varbinary VARBINARY(20), c_blob BLOB)""",
    "SET SESSION time_zone = '+00:00'",
    "SET SESSION sql_mode = ''",
    """
        INSERT INTO types VALUES
        (1, -128, 0, 0, b'0', b'0000000000', -32768, 0, -8388608, -2147483648, 0, -9223372036854775808, 0,
         -3.40282e38, -1.7976931348623157e308, -9999999999999999999999999999.9999999999, -999.99,
         '1000-01-01', '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01.000000', '00:00:00', 1901,
         '', '', '', 'sad', '', '{}', 0x00000000, X'', X''),
        (2, 127, 255, 1, b'1', b'1111111111', 32767, 65535, 8388607, 2147483647, 4294967295, 9223372036854775807,
         18446744073709551615, 3.40282e38, 1.7976931348623157e308, 9999999999999999999999999999.9999999999, 999.99,
         '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '23:59:59.999999', 2155,
         'abc', 'héllo wörld ✓ 日本語 🎉', REPEAT('long ', 3000), 'happy', 'a,c', '{"a": [1, 2, {"b": null}]}',
         0xDEADBEEF, 0x00FF, 0xDEADBEEF00FF),
        (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (4, 1, 1, 0, b'1', b'0000000001', 1, 1, 1, 1, 1, 1, 1, 1.5, 0.1, 0.0000000001, 0.01,
         '0000-00-00', '0000-00-00 00:00:00', '2021-03-28 01:30:00.123456', '12:34:56.123456', 2024,
         'a', 'line1\\nline2 "q", c', 'tab\\there', 'ok', 'b', '"just a string"', 0x01020304, 0xFF, 0x00),
        (5, 0, 0, 1, b'0', b'0000000000', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
         '2024-02-29', '2021-03-14 02:30:00.000001', '2000-01-01 00:00:00', '00:00:00.000001', 2000,
         'ß', 'ä', '🎉', 'sad', 'a,b,c', '[1, 2, 3]', 0x00000000, 0x00, 0x00)"""
  };

  /** SQL Server's, in table {@code types}. */
  static final String[] SQLSERVER = {
    """
        CREATE TABLE types (id INT PRIMARY KEY, c_tinyint TINYINT, c_smallint SMALLINT, c_int INT, c_bigint BIGINT,
          c_bit BIT, c_real REAL, c_float FLOAT, c_decimal DECIMAL(38,10), c_money MONEY, c_smallmoney SMALLMONEY,
          c_date DATE, c_time TIME(6), c_datetime2 DATETIME2(6), c_datetime DATETIME, c_smalldatetime SMALLDATETIME,
          c_dto DATETIMEOFFSET(6), c_char CHAR(3), c_varchar VARCHAR(50), c_nvarchar NVARCHAR(MAX),
          c_varbinary VARBINARY(MAX), c_uuid UNIQUEIDENTIFIER)""",
    """
        INSERT INTO types VALUES
        (1, 0, -32768, -2147483648, -9223372036854775808, 0, -3.40282e38, -1.7976931348623157e308,
         -9999999999999999999999999999.9999999999, -922337203685477.5808, -214748.3648,
         '0001-01-01', '00:00:00', '0001-01-01 00:00:00', '1753-01-01 00:00:00', '1900-01-01 00:00',
         '0001-01-01 00:00:00 +00:00', '', '', N'', 0x, '00000000-0000-0000-0000-000000000000'),
        (2, 255, 32767, 2147483647, 9223372036854775807, 1, 3.40282e38, 1.7976931348623157e308,
         9999999999999999999999999999.9999999999, 922337203685477.5807, 214748.3647,
         '9999-12-31', '23:59:59.999999', '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59.997', '2079-06-06 23:59',
         '9999-12-31 23:59:59.999999 +00:00', 'abc', 'naive cafe', N'héllo wörld ✓ 日本語 🎉', 0xDEADBEEF00FF,
         '6F9619FF-8B86-D011-B42D-00C04FC964FF'),
        (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL),
        (4, 1, 1, 1, 1, 1, 1.5, 0.1, 0.0000000001, 0.0001, 0.0001, '1582-10-10', '12:34:56.123456',
         '2021-03-14 02:30:00.000001', '2024-01-01 10:00:00.003', '2024-02-29 12:34',
         '2024-02-29 23:59:59.123456 -08:00', 'a', 'x', N'line1' + CHAR(10) + N'line2', 0x00, NEWID())"""
  };
}
