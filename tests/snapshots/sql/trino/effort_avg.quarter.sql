/* metric: effort_avg */
SELECT
  CAST(DATE_TRUNC('QUARTER', "d") AS DATE) AS "period",
  SUM("total") AS "total",
  SUM("total_sq") AS "total_sq",
  SUM("n") AS "n"
FROM (
  SELECT
    "t"."responded_at" AS "d",
    "t"."effort_avg__total" AS "total",
    "t"."effort_avg__total_sq" AS "total_sq",
    "t"."effort_avg__n" AS "n"
  FROM "rollup_responses" AS "t"
  WHERE
    NOT "t"."responded_at" IS NULL
) AS "b"
GROUP BY
  "period"
ORDER BY
  "period"
