/* metric: overtime_hours_per_agent */
SELECT
  CAST(DATE_TRUNC('QUARTER', "d") AS DATE) AS "period",
  SUM("num") AS "num",
  SUM("den") AS "den",
  SUM("n") AS "n",
  SUM("agents") AS "agent_days",
  COUNT(DISTINCT "day") AS "days"
FROM (
  SELECT
    "t"."date" AS "d",
    COALESCE(CASE WHEN NOT (
      "agents"
    ) IS NULL THEN "overtime_hours" END, 0) AS "num",
    "agents" AS "den",
    "agents" AS "n",
    "t"."agents" AS "agents",
    "t"."date" AS "day"
  FROM "ds_workload" AS "t"
  JOIN "privacy_units" AS "u"
    ON "u"."raw_region" IS NOT DISTINCT FROM "t"."region"
    AND "u"."raw_site" = "t"."site"
    AND "u"."raw_team" = "t"."team"
    AND "u"."month" = (
      YEAR("t"."date") * 100 + MONTH("t"."date")
    )
  WHERE
    NOT "t"."date" IS NULL
) AS "b"
GROUP BY
  "period"
ORDER BY
  "period"
