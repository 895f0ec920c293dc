/* metric: first_time_fix_rate */
SELECT
  CAST(DATE_TRUNC('MONTH', "d") AS DATE) AS "period",
  SUM("successes") AS "successes",
  SUM("n") AS "n"
FROM (
  SELECT
    "t"."completed_at" AS "d",
    "t"."first_time_fix_rate__successes" AS "successes",
    "t"."first_time_fix_rate__n" AS "n"
  FROM "rollup_interventions" AS "t"
  WHERE
    NOT "t"."completed_at" IS NULL
) AS "b"
GROUP BY
  "period"
ORDER BY
  "period"
