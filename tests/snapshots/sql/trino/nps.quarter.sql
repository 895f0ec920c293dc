/* metric: nps */
SELECT
  CAST(DATE_TRUNC('QUARTER', "d") AS DATE) AS "period",
  SUM("promoters") AS "promoters",
  SUM("detractors") AS "detractors",
  SUM("n") AS "n"
FROM (
  SELECT
    "t"."responded_at" AS "d",
    "t"."nps__promoters" AS "promoters",
    "t"."nps__detractors" AS "detractors",
    "t"."nps__n" AS "n"
  FROM "rollup_responses" AS "t"
  WHERE
    NOT "t"."responded_at" IS NULL
) AS "b"
GROUP BY
  "period"
ORDER BY
  "period"
