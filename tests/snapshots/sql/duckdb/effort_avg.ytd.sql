/* metric: effort_avg */
SELECT
  "period",
  SUM("total") OVER (
    PARTITION BY YEAR("period")
    ORDER BY "period"
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS "total",
  SUM("total_sq") OVER (
    PARTITION BY YEAR("period")
    ORDER BY "period"
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS "total_sq",
  SUM("n") OVER (
    PARTITION BY YEAR("period")
    ORDER BY "period"
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS "n"
FROM (
  SELECT
    CAST(DATE_TRUNC('MONTH', "d") AS DATE) AS "period",
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
) AS "monthly"
ORDER BY
  "period"
