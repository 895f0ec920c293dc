/* metric: escalation_rate */
SELECT
  "period",
  SUM("successes") OVER (
    PARTITION BY YEAR("period")
    ORDER BY "period"
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS "successes",
  SUM("n") OVER (
    PARTITION BY YEAR("period")
    ORDER BY "period"
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS "n"
FROM (
  SELECT
    CAST(DATE_TRUNC('MONTH', "d") AS DATE) AS "period",
    SUM("successes") AS "successes",
    SUM("n") AS "n"
  FROM (
    SELECT
      "t"."opened_at" AS "d",
      "t"."escalation_rate__successes" AS "successes",
      "t"."escalation_rate__n" AS "n"
    FROM "rollup_complaints" AS "t"
    WHERE
      NOT "t"."opened_at" IS NULL
  ) AS "b"
  GROUP BY
    "period"
) AS "monthly"
ORDER BY
  "period"
