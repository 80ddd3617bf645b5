-- Sample data of `rivet demo`: one large table and one table of hostile values covering every supported type.
CREATE SCHEMA demo;
CREATE TYPE demo.mood AS ENUM ('sad', 'ok', 'happy');

CREATE TABLE demo.orders (
  id          bigint PRIMARY KEY,
  customer_id integer NOT NULL,
  amount      numeric(12,2) NOT NULL,
  status      text NOT NULL,
  created_at  timestamptz NOT NULL,
  ordered_on  date NOT NULL,
  note        varchar(200)
);
INSERT INTO demo.orders
SELECT g,
       ((g * 7919) % 100000)::int,
       ((g * 31) % 1000000) / 100.0,
       (ARRAY['new','paid','shipped','returned'])[1 + g % 4],
       timestamptz '2024-01-01 00:00:00+00' + make_interval(secs => (g * 17)::double precision),
       date '2024-01-01' + (g % 700)::int,
       CASE WHEN g % 10 = 0 THEN NULL ELSE 'order #' || g END
FROM generate_series(1::bigint, ${ROWS}::bigint) AS g;

CREATE TABLE demo.type_showcase (
  id           integer PRIMARY KEY,
  c_smallint   smallint,
  c_int        integer,
  c_bigint     bigint,
  c_real       real,
  c_double     double precision,
  c_numeric    numeric(38,10),
  c_money      numeric(12,2),
  c_small_dec  numeric(5,2),
  c_bool       boolean,
  c_text       text,
  c_varchar    varchar(20),
  c_char       char(3),
  c_bytea      bytea,
  c_date       date,
  c_time       time,
  c_ts         timestamp,
  c_tstz       timestamptz,
  c_uuid       uuid,
  c_json       json,
  c_jsonb      jsonb,
  c_enum       demo.mood,
  c_int_arr    integer[],
  c_text_arr   text[]
);
INSERT INTO demo.type_showcase VALUES
 (1, -32768, -2147483648, -9223372036854775808, -3.4028235e38, -1.7976931348623157e308,
  -9999999999999999999999999999.9999999999, -9999999999.99, -999.99, false, '', '', 'a  ', '\x'::bytea,
  '0001-01-01', '00:00:00', '0001-01-01 00:00:00', '0001-01-01 00:00:00+00', '00000000-0000-0000-0000-000000000000',
  '{}', '[]', 'sad', '{}', '{}'),
 (2, 32767, 2147483647, 9223372036854775807, 3.4028235e38, 1.7976931348623157e308,
  9999999999999999999999999999.9999999999, 9999999999.99, 999.99, true, 'héllo wörld ✓ 日本語 🎉', 'naïve café',
  'abc', '\xdeadbeef00ff'::bytea, '9999-12-31', '23:59:59.999999', '9999-12-31 23:59:59.999999',
  '9999-12-31 23:59:59.999999+00', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '{"a": [1, 2, {"b": null}]}',
  '{"k": "v", "n": 1.50}', 'happy', '{1,NULL,3}', '{"a",NULL,"","é"}'),
 (3, 0, 0, 0, 'NaN', 'Infinity', 0, 0, 0, true, 'line1
line2 "quoted", comma', 'tab	here', '   ', '\x00'::bytea, '1582-10-10', '12:34:56.123456', '1582-10-05 12:00:00',
  '2024-02-29 23:59:59.123456-08', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '"just a string"', 'null', 'ok',
  '{NULL}', '{NULL}'),
 (4, -1, -1, -1, '-Infinity', 'NaN', 0.0000000001, 0.01, -0.01, false, 'x', 'y', 'z', '\xff'::bytea,
  '1970-01-01', '00:00:00.000001', '2021-03-14 02:30:00', '2021-03-28 02:30:00+01', '123e4567-e89b-12d3-a456-426614174000',
  '[1, 2, 3]', '{"nested": {"deep": [true, false]}}', 'sad', '{-2147483648,2147483647}', '{"🎉"}'),
 (5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL),
 (6, 1, 1, 1, 1.4e-45, 4.9e-324, 1234567890123456789012345678.0123456789, 0, 1.5, true, repeat('long ', 2000),
  'ä', 'ß', decode(repeat('ab', 5000), 'hex'), '2000-02-29', '24:00:00', '1969-12-31 23:59:59.999999',
  '1969-12-31 23:59:59.999999+00', '6ba7b810-9dad-11d1-80b4-00c04fd430c8', '{"emoji": "🎉"}', '{}', 'happy',
  '{7}', '{"x","y"}');
