import * as assert from "node:assert/strict";
import { DEFAULT_THRESHOLDS, recordedNames, ruleGroups } from "../../model/alertRules";
import { CLOUDWATCH_METRICS, cloudWatchMetricsOf, Dashboard, dashboards, DATASOURCE_UIDS } from "../../model/dashboards";
import { DEFAULTS } from "../../model/defaults";
import { APP_METRICS } from "../../model/slo";
import { planOf } from "../support";

const MODELS = dashboards({ slo: DEFAULTS.observability.slo, region: "eu-west-2", drRegion: "eu-west-1" });

/** The metric names a PromQL expression reads: identifiers outside label matchers, ranges, strings and grouping clauses. */
function metricNames(expr: string): string[] {
    const bare = expr
        .replace(/"[^"]*"/g, "")
        .replace(/\{[^}]*\}/g, " ")
        .replace(/\[[^\]]*\]/g, " ")
        .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
    const keywords = new Set(["and", "or", "unless", "bool", "offset"]);
    return [...bare.matchAll(/([a-zA-Z_:][\w:]*)\s*(\()?/g)].filter((m) => m[2] === undefined && !keywords.has(m[1])).map((m) => m[1]);
}

const DASHBOARD_KEYS = ["uid", "title", "tags", "timezone", "schemaVersion", "time", "refresh", "templating", "panels"];
const PANEL_KEYS = ["id", "type", "title", "gridPos", "datasource", "targets", "fieldConfig"];

describe("model/dashboards", () => {
    it("covers the SLOs, RED, Celery, the data tier, the edge and DR, each a valid Grafana JSON model", () => {
        assert.deepEqual(
            MODELS.map((d) => d.uid),
            ["platform-slo", "platform-red", "platform-celery", "platform-data", "platform-edge", "platform-dr"],
        );
        for (const d of MODELS) {
            const json = JSON.parse(JSON.stringify(d)) as Dashboard;
            assert.deepEqual(Object.keys(json), DASHBOARD_KEYS, d.uid);
            // Grafana: uid at most 40 characters of [a-zA-Z0-9-_].
            assert.match(d.uid, /^[\w-]{1,40}$/);
            assert.equal(new Set(d.panels.map((p) => p.id)).size, d.panels.length, `${d.uid}: panel ids unique`);
            const cells = new Set<string>();
            for (const p of d.panels) {
                assert.deepEqual(Object.keys(p), PANEL_KEYS, `${d.uid} ${p.title}`);
                assert.ok(p.gridPos.x >= 0 && p.gridPos.x + p.gridPos.w <= 24, `${p.title}: inside the 24-column grid`);
                for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++)
                    for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
                        assert.ok(!cells.has(`${x},${y}`), `${d.uid} ${p.title} overlaps another panel`);
                        cells.add(`${x},${y}`);
                    }
                assert.ok(p.targets.length > 0, p.title);
                assert.equal(new Set(p.targets.map((t) => t.refId)).size, p.targets.length);
                for (const t of p.targets) assert.deepEqual(t.datasource, p.datasource, `${p.title}: one data source per panel`);
                assert.ok(Object.values(DATASOURCE_UIDS).includes(p.datasource.uid as never));
            }
        }
    });

    it("queries only recording rules of the generated groups, metrics the rules read and the apps' declared metrics", () => {
        const histograms = [APP_METRICS.duration, APP_METRICS.celeryTaskRuntime].flatMap((h) => [`${h}_bucket`, `${h}_count`, `${h}_sum`]);
        const known = new Set([
            ...recordedNames(DEFAULT_THRESHOLDS),
            ...ruleGroups(DEFAULT_THRESHOLDS).flatMap((g) => g.rules.flatMap((r) => metricNames(r.expr))),
            ...Object.values(APP_METRICS),
            ...histograms,
        ]);
        const exprs = MODELS.flatMap((d) => d.panels.flatMap((p) => p.targets.flatMap((t) => ("expr" in t ? [t.expr] : []))));
        assert.ok(exprs.length > 10);
        assert.deepEqual(
            exprs.flatMap((e) =>
                metricNames(e)
                    .filter((m) => !known.has(m))
                    .map((m) => `${m} in ${e}`),
            ),
            [],
        );
        // And a misspelt recording rule is caught.
        assert.deepEqual(
            metricNames("service:sli_availability_errors:ratio_rate2h").filter((m) => !known.has(m)),
            ["service:sli_availability_errors:ratio_rate2h"],
        );
    });

    it("the metric extractor sees metrics and recording rules, not functions, labels or grouping", () => {
        assert.deepEqual(metricNames('sum by (service, le) (rate(http_requests_total{status=~"5.."}[5m])) / service:x:ratio_rate1h > (14.4 * 0.001)'), [
            "http_requests_total",
            "service:x:ratio_rate1h",
        ]);
    });

    it("reads CloudWatch metrics AWS documents, with the alarms' metrics of those namespaces in the same table", async () => {
        const listed = new Set(Object.entries(CLOUDWATCH_METRICS).flatMap(([ns, t]) => t.metrics.map((m) => `${ns}/${m}`)));
        assert.deepEqual(
            cloudWatchMetricsOf(MODELS).filter((m) => !listed.has(m)),
            [],
        );
        const alarmed = new Set<string>();
        for (const stack of ["prod", "dr"])
            for (const a of (await planOf(stack)).resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm")) {
                const queries = (a.props.metricQueries as Array<{ metric?: { namespace: string; metricName: string } }> | undefined) ?? [];
                for (const m of [
                    { namespace: a.props.namespace as string, metricName: a.props.metricName as string },
                    ...queries.flatMap((q) => (q.metric ? [q.metric] : [])),
                ])
                    if (m.namespace in CLOUDWATCH_METRICS) alarmed.add(`${m.namespace}/${m.metricName}`);
            }
        assert.ok(alarmed.size >= 4, [...alarmed].join(", "));
        assert.deepEqual(
            [...alarmed].filter((m) => !listed.has(m)),
            [],
            "an alarm watches a metric the table (and so the dashboards) does not know",
        );
    });
});
