/* metric: repeat_contact_rate */
SELECT
  CAST(DATE_TRUNC('QUARTER', "d") AS DATE) AS "period",
  SUM("successes") AS "successes",
  SUM("n") AS "n"
FROM (
  SELECT
    "t"."opened_at" AS "d",
    "t"."repeat_contact_rate__successes" AS "successes",
    "t"."repeat_contact_rate__n" AS "n"
  FROM "rollup_complaints" AS "t"
  WHERE
    NOT "t"."opened_at" IS NULL
) AS "b"
GROUP BY
  "period"
ORDER BY
  "period"
