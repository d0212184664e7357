/** amp-definitions-accepted (policy/deployabilityAmp.ts): compliant and violating fixtures in both modes, and the checks one by one. */
import * as assert from "node:assert/strict";
import { parse, stringify } from "yaml";
import { alertmanagerDefinition } from "../../model/alertmanager";
import { alertRulesYaml, DEFAULT_THRESHOLDS, RULE_NAMESPACE } from "../../model/alertRules";
import { alertmanagerDefinitionProblems, ruleFileProblems } from "../../policy/deployabilityAmp";
import { T } from "../../policy/lib";
import { Case, describeCases, key } from "../support/policyCases";
import { Fixture } from "../support/policyFixtures";

const RULES = "aws:amp/ruleGroupNamespace:RuleGroupNamespace";
const AM = "aws:amp/alertManagerDefinition:AlertManagerDefinition";
const TARGETS = { pageTopicArn: "arn:aws:sns:eu-west-2:111122223333:page", ticketTopicArn: "arn:aws:sns:eu-west-2:111122223333:ticket", region: "eu-west-2" };

/** The generated inner configuration with `edit` applied, wrapped as AMP takes it. */
function definitionWith(edit: (inner: Record<string, any>) => void): string {
    const inner = parse((parse(alertmanagerDefinition(TARGETS)) as { alertmanager_config: string }).alertmanager_config) as Record<string, any>;
    edit(inner);
    return stringify({ alertmanager_config: stringify(inner) });
}

/** AMP with the generated rules, and an Alertmanager definition computed from the topic (unknown in preview). */
function amp(f: Fixture, opts: { data?: string; name?: string; definition?: string } = {}) {
    const topic = f.add(T.topic, "alerts", { kmsMasterKeyId: f.arn(key(f)) });
    const ws = f.add("aws:amp/workspace:Workspace", "metrics", {});
    f.add(RULES, "rules", { workspaceId: f.ref(ws), name: opts.name ?? RULE_NAMESPACE, data: opts.data ?? alertRulesYaml(DEFAULT_THRESHOLDS) });
    f.add(AM, "alertmanager", { workspaceId: f.ref(ws), definition: opts.definition ?? f.computed(topic, alertmanagerDefinition(TARGETS)) });
}

const generated = alertRulesYaml(DEFAULT_THRESHOLDS);
const CASES: Case[] = [
    {
        policy: "amp-definitions-accepted",
        compliant: (f) => amp(f),
        violations: {
            "a rules file that is not YAML": (f) => amp(f, { data: "groups: [\n" }),
            "a group without a name": (f) => amp(f, { data: generated.replace("- name: sli-recording", '- name: ""') }),
            "a recording rule with a for": (f) =>
                amp(f, { data: "groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: up\n        for: 5m\n" }),
            "an alert with a for that is no duration": (f) =>
                amp(f, { data: "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        for: ten minutes\n" }),
            "a namespace name with a space": (f) => amp(f, { name: "platform slo" }),
            "a webhook receiver (AMP supports only SNS)": (f) =>
                amp(f, { definition: definitionWith((c) => c.receivers.push({ name: "hook", webhook_configs: [{ url: "https://example.invalid" }] })) }),
            "an SNS receiver without sigv4.region": (f) => amp(f, { definition: definitionWith((c) => delete c.receivers[0].sns_configs[0].sigv4) }),
            "the Alertmanager configuration as a map, not AMP's string": (f) =>
                amp(f, { definition: stringify({ alertmanager_config: { route: { receiver: "x" }, receivers: [{ name: "x" }] } }) }),
        },
    },
];

describe("policy: AMP definitions", () => {
    describeCases(CASES);

    it("accepts the generated rules and definition, and names each problem", () => {
        assert.deepEqual(ruleFileProblems(generated, RULE_NAMESPACE), []);
        assert.deepEqual(alertmanagerDefinitionProblems(alertmanagerDefinition(TARGETS)), []);
        assert.deepEqual(ruleFileProblems("groups:\n  - name: g\n    rules:\n      - record: 1bad\n        expr: up\n        labels: { 'a-b': c }\n"), [
            "groups[0].rules[0]: 1bad is not a valid metric name",
            "groups[0].rules[0]: labels.a-b must be a label name with a string value",
        ]);
        assert.deepEqual(ruleFileProblems("groups:\n  - name: g\n    rules:\n      - expr: up\n"), ["groups[0].rules[0]: exactly one of record and alert"]);
        assert.deepEqual(ruleFileProblems(`groups:\n  - name: ${"g".repeat(720)}\n    rules: []\n`, "ns"), [
            "groups[0]: namespace and group name together exceed 721 bytes",
        ]);
        assert.deepEqual(alertmanagerDefinitionProblems(definitionWith((c) => (c.route.routes[1].receiver = "nobody"))), [
            "route names receiver nobody, which is not defined",
        ]);
        assert.deepEqual(alertmanagerDefinitionProblems(definitionWith((c) => (c.receivers[0].sns_configs[0].api_url = "https://sns"))), [
            "receiver page-on-call: api_url is not allowed in AMP",
        ]);
    });
});
