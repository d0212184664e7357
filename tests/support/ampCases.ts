/** The amp-definitions-accepted fixtures (policy/deployabilityAmp.ts), shared by its test file and the deployability coverage check. */
import { parse, stringify } from "yaml";
import { alertmanagerDefinition } from "../../model/alertmanager";
import { alertRulesYaml, DEFAULT_THRESHOLDS, RULE_NAMESPACE } from "../../model/alertRules";
import { T } from "../../policy/lib";
import { Case, key } from "./policyCases";
import { Fixture } from "./policyFixtures";

const RULES = "aws:amp/ruleGroupNamespace:RuleGroupNamespace";
const AM = "aws:amp/alertManagerDefinition:AlertManagerDefinition";
export const TARGETS = {
    pageTopicArn: "arn:aws:sns:eu-west-2:111122223333:page",
    ticketTopicArn: "arn:aws:sns:eu-west-2:111122223333:ticket",
    region: "eu-west-2",
};

/** The generated inner configuration with `edit` applied, wrapped as AMP takes it. */
export function definitionWith(edit: (inner: Record<string, any>) => void): string {
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

export const generated = alertRulesYaml(DEFAULT_THRESHOLDS);
export const AMP_CASES: Case[] = [
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
