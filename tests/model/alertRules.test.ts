import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { alertingRules, alertRulesYaml, DEFAULT_THRESHOLDS, leMatcher, PROMETHEUS_PAGING, recordedNames, RuleThresholds } from "../../model/alertRules";
import { DEFAULTS } from "../../model/defaults";
import { observabilitySchema } from "../../model/observabilityConfig";
import { BURN_RATE_ALERTS, burnRate, objectives, SLI_WINDOWS, sliRecord, sloSchema, windowHours } from "../../model/slo";

describe("model/slo and model/alertRules", () => {
    it("derives the workbook's burn rates for a 30-day 99.9% SLO: 14.4 (2% in 1 h), 6 (5% in 6 h), 1 (10% in 3 d)", () => {
        assert.deepEqual(
            BURN_RATE_ALERTS.map((a) => [a.severity, a.long, a.short, burnRate(a)]),
            [
                ["critical", "1h", "5m", 14.4],
                ["critical", "6h", "30m", 6],
                ["warning", "3d", "6h", 1],
            ],
        );
        // The short window is a twelfth of the long one (workbook), so the alert resets soon after the burn stops.
        for (const a of BURN_RATE_ALERTS) assert.ok(Math.abs(windowHours(a.short) - windowHours(a.long) / 12) < 1e-9, a.long);
    });

    it("defaults the SLO config from DEFAULTS and refuses targets that leave no budget", () => {
        assert.deepEqual(observabilitySchema.parse({}).slo, DEFAULTS.observability.slo);
        assert.deepEqual(
            objectives(DEFAULTS.observability.slo).map((o) => [o.sli, o.target, o.budget]),
            [
                ["availability", 0.999, 0.001],
                ["latency", 0.99, 0.01],
            ],
        );
        for (const bad of [{ availabilityTargetPercent: 100 }, { latencyThresholdSeconds: 0 }, { celeryBacklogTasks: 0.5 }, { unknown: 1 }])
            assert.equal(sloSchema.safeParse(bad).success, false, JSON.stringify(bad));
    });

    it("maps each seed threshold (CPU > 80%, error rate > 1%) to a named rule, from config", () => {
        for (const [cpu, errors] of [
            [80, 1],
            [65, 0.5],
        ]) {
            const rules = new Map(alertingRules({ ...DEFAULT_THRESHOLDS, cpuPercent: cpu, errorRatePercent: errors }).map((r) => [r.alert, r]));
            assert.ok(rules.get("NodeCpuHigh")!.expr.endsWith(`> ${cpu}`));
            assert.equal(rules.get("NodeCpuHigh")!.labels.severity, "critical");
            assert.ok(rules.get("RequestErrorRateHigh")!.expr.endsWith(`${sliRecord("availability", "5m")} > ${errors}`));
            assert.equal(rules.get("RequestErrorRateHigh")!.labels.severity, "critical");
        }
    });

    it("records every SLI over 5m, 30m, 1h, 6h and 3d and alerts on burn rate x budget in both windows of each row", () => {
        const t: RuleThresholds = { ...DEFAULT_THRESHOLDS, slo: { ...DEFAULT_THRESHOLDS.slo, availabilityTargetPercent: 99.5 } };
        const recorded = new Set(recordedNames(t));
        for (const o of objectives(t.slo)) for (const w of SLI_WINDOWS) assert.ok(recorded.has(sliRecord(o.sli, w)), sliRecord(o.sli, w));
        const burns = alertingRules(t).filter((r) => r.labels.slo === "availability");
        assert.deepEqual(
            burns.map((r) => r.expr),
            BURN_RATE_ALERTS.map((a) => {
                const th = `(${burnRate(a)} * 0.005)`;
                return `${sliRecord("availability", a.long)} > ${th} and ${sliRecord("availability", a.short)} > ${th}`;
            }),
        );
    });

    it('reads an integer latency threshold\'s bucket in both spellings (Go "1", Python "1.0")', () => {
        assert.equal(leMatcher(1), 'le=~"1|1.0"');
        assert.equal(leMatcher(0.25), 'le=~"0.25"');
    });

    it("emits the Prometheus rules format: groups with unique names, each rule a record or an alert with an expr", () => {
        const doc = parse(alertRulesYaml(DEFAULT_THRESHOLDS)) as { groups: Array<{ name: string; rules: Array<Record<string, unknown>> }> };
        assert.deepEqual(Object.keys(doc), ["groups"]);
        assert.equal(new Set(doc.groups.map((g) => g.name)).size, doc.groups.length);
        for (const r of doc.groups.flatMap((g) => g.rules)) {
            assert.ok("record" in r !== "alert" in r, JSON.stringify(r));
            assert.equal(typeof r.expr, "string");
        }
    });

    it("lists every alerting rule in the paging catalogue: critical pages, warning opens a ticket, seed rules say so", () => {
        const rules = alertingRules(DEFAULT_THRESHOLDS);
        assert.equal(PROMETHEUS_PAGING.length, rules.length);
        assert.equal(new Set(PROMETHEUS_PAGING.map((p) => p.name)).size, rules.length, "names are unique");
        rules.forEach((r, i) => {
            const entry = PROMETHEUS_PAGING[i];
            assert.equal(entry.source, "prometheus");
            assert.equal(entry.severity, r.labels.severity === "critical" ? "page" : "ticket", entry.name);
            assert.match(entry.route, r.labels.severity === "critical" ? /PagerDuty/ : /ticket/);
        });
        const byName = new Map(PROMETHEUS_PAGING.map((p) => [p.name, p]));
        assert.equal(byName.get("NodeCpuHigh")!.threshold, "> 80 for 10m");
        assert.equal(byName.get("NodeCpuHigh")!.seed, "6");
        assert.equal(byName.get("SloAvailabilityBudgetBurn (1h/5m)")!.threshold, "burn rate > 14.4x on 1h and 5m");
        assert.equal(byName.get("SloAvailabilityBudgetBurn (3d/6h)")!.severity, "ticket");
    });

    it("documents every Prometheus row of the paging catalogue in docs/monitoring-rules.md, as generated", () => {
        const doc = readFileSync(path.join(__dirname, "..", "..", "docs", "monitoring-rules.md"), "utf8");
        for (const p of PROMETHEUS_PAGING) assert.ok(doc.includes(`| \`${p.name}\` | ${p.signal} | ${p.threshold} | ${p.severity} | ${p.route} |`), p.name);
    });
});
