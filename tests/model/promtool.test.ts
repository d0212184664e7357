/**
 * The generated rules and Alertmanager definition through the real Prometheus tools: `promtool check rules`,
 * `promtool test rules` with synthetic series for every alert, `amtool check-config` and `amtool config routes test`.
 */
import * as assert from "node:assert/strict";
import { parse, stringify } from "yaml";
import { alertmanagerConfig, alertmanagerDefinition, RECEIVERS } from "../../model/alertmanager";
import { alertingRules, alertRulesYaml, DEFAULT_THRESHOLDS, RuleThresholds } from "../../model/alertRules";
import { requireTool, runIn } from "../support/promTools";
import { promtoolTests, scenarios } from "../support/ruleScenarios";

/** A second configuration: every threshold moved, an integer latency threshold (the `le` of "1" and "1.0"). */
const MOVED: RuleThresholds = {
    cpuPercent: 70,
    errorRatePercent: 2,
    slo: { availabilityTargetPercent: 99.5, latencyTargetPercent: 95, latencyThresholdSeconds: 1, celeryBacklogTasks: 200 },
};

const identity = (r: { alert: string; labels: Readonly<Record<string, string>> }) => `${r.alert}${r.labels.long_window ? ` ${r.labels.long_window}` : ""}`;

describe("Prometheus rules under promtool", function () {
    this.timeout(120_000);

    for (const [label, t] of [
        ["the defaults", DEFAULT_THRESHOLDS],
        ["moved thresholds", MOVED],
    ] as const) {
        it(`passes promtool check rules (${label})`, function () {
            const promtool = requireTool(this, "promtool");
            const r = runIn({ "rules.yaml": alertRulesYaml(t) }, promtool, () => ["check", "rules", "rules.yaml"]);
            assert.equal(r.status, 0, r.output);
            assert.match(r.output, /SUCCESS: \d+ rules found/);
        });

        it(`fires every alert when it should and not before, in promtool test rules (${label})`, function () {
            const promtool = requireTool(this, "promtool");
            const files = { "rules.yaml": alertRulesYaml(t), "tests.yaml": stringify(promtoolTests("rules.yaml", t), { lineWidth: 0 }) };
            const r = runIn(files, promtool, () => ["test", "rules", "tests.yaml"]);
            assert.equal(r.status, 0, r.output);
            assert.match(r.output, /SUCCESS/);
        });
    }

    it("has, for every alerting rule, a scenario where it fires and one where it stays silent", () => {
        const fired = new Set<string>();
        const silent = new Set<string>();
        const rules = alertingRules(DEFAULT_THRESHOLDS);
        for (const s of scenarios(DEFAULT_THRESHOLDS))
            for (const e of s.expect) {
                const firing = new Set(e.firing.map((f) => identity(f.rule)));
                for (const r of rules.filter((x) => x.alert === e.alertname)) (firing.has(identity(r)) ? fired : silent).add(identity(r));
            }
        const all = rules.map(identity);
        assert.deepEqual(
            all.filter((id) => !fired.has(id)),
            [],
            "never seen firing",
        );
        assert.deepEqual(
            all.filter((id) => !silent.has(id)),
            [],
            "never seen silent",
        );
    });

    it("fails promtool test rules when a threshold moves without its scenario (the tests bite)", function () {
        const promtool = requireTool(this, "promtool");
        const files = {
            "rules.yaml": alertRulesYaml({ ...DEFAULT_THRESHOLDS, cpuPercent: 95 }),
            "tests.yaml": stringify(promtoolTests("rules.yaml", DEFAULT_THRESHOLDS, (s) => s.name.includes("node CPU"))),
        };
        const r = runIn(files, promtool, () => ["test", "rules", "tests.yaml"]);
        assert.notEqual(r.status, 0, r.output);
        assert.match(r.output, /NodeCpuHigh/);
    });
});

describe("Alertmanager definition under amtool", () => {
    const targets = {
        pageTopicArn: "arn:aws:sns:eu-west-2:111122223333:page",
        ticketTopicArn: "arn:aws:sns:eu-west-2:111122223333:ticket",
        region: "eu-west-2",
    };
    const definition = parse(alertmanagerDefinition(targets)) as { alertmanager_config: string; template_files: Record<string, string> };

    it("is AMP's document: templates under template_files, the configuration as a string under alertmanager_config, nothing else", () => {
        assert.deepEqual(Object.keys(definition).sort(), ["alertmanager_config", "template_files"]);
        assert.equal(typeof definition.alertmanager_config, "string");
        assert.deepEqual(parse(definition.alertmanager_config), alertmanagerConfig(targets));
    });

    it("passes amtool check-config, templates included", function () {
        const amtool = requireTool(this, "amtool");
        // AMP loads template_files itself; for amtool the same templates are files the configuration names (relative to it).
        const inner = parse(definition.alertmanager_config) as Record<string, unknown>;
        const files: Record<string, string> = { "alertmanager.yaml": stringify({ ...inner, templates: ["*.tmpl"] }) };
        for (const [name, text] of Object.entries(definition.template_files)) files[`${name}.tmpl`] = text;
        const r = runIn(files, amtool, () => ["check-config", "alertmanager.yaml"]);
        assert.equal(r.status, 0, r.output);
        assert.match(r.output, /SUCCESS/);
        assert.match(r.output, /- 1 templates/);
    });

    for (const [labels, receiver] of [
        [["severity=critical", "alertname=NodeCpuHigh"], RECEIVERS.page],
        [["severity=warning", "alertname=KubeNodeNotReady"], RECEIVERS.ticket],
        [["alertname=Unlabelled"], RECEIVERS.page],
    ] as const)
        it(`routes ${labels.join(" ")} to ${receiver} (amtool config routes test)`, function () {
            const amtool = requireTool(this, "amtool");
            const r = runIn({ "alertmanager.yaml": definition.alertmanager_config }, amtool, () => [
                "config",
                "routes",
                "test",
                "--config.file=alertmanager.yaml",
                `--verify.receivers=${receiver}`,
                ...labels,
            ]);
            assert.equal(r.status, 0, r.output);
            assert.equal(r.stdout.trim(), receiver);
        });

    it("uses only what AMP accepts: SNS receivers with a SigV4 region, no api_url or http_config, subject ASCII, repeats under five days", () => {
        const config = alertmanagerConfig(targets) as {
            receivers: Array<Record<string, unknown> & { sns_configs?: Array<Record<string, unknown>> }>;
            route: { repeat_interval: string; routes: Array<{ repeat_interval: string }> };
            inhibit_rules: unknown[];
        };
        for (const receiver of config.receivers) {
            assert.deepEqual(Object.keys(receiver).sort(), ["name", "sns_configs"], "SNS is AMP's only receiver");
            for (const sns of receiver.sns_configs!) {
                assert.equal((sns.sigv4 as { region: string }).region, "eu-west-2");
                assert.ok(!("api_url" in sns) && !("http_config" in sns));
                assert.match(sns.subject as string, /^[\x20-\x7e]+$/);
            }
        }
        const hours = (d: string) => Number(/^(\d+)h$/.exec(d)![1]);
        for (const d of [config.route.repeat_interval, ...config.route.routes.map((r) => r.repeat_interval)]) assert.ok(hours(d) <= 120, d);
        // A page inhibits the ticket of the same alert and service (SLO burn rates: the 1 h page silences the 3 d ticket).
        assert.deepEqual(config.inhibit_rules, [
            { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ["alertname", "service"] },
        ]);
    });
});
