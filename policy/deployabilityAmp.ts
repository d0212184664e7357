/**
 * What Amazon Managed Service for Prometheus checks when it takes a rule groups namespace or an Alertmanager
 * definition, checked offline (issue #13): the upload fails at `pulumi up` otherwise, or a receiver AMP does not
 * support never notifies.
 */
import { parse } from "yaml";
import { peek, resourceGuardrail, UNKNOWN } from "./lib";

const AMP_T = {
    rules: "aws:amp/ruleGroupNamespace:RuleGroupNamespace",
    alertManager: "aws:amp/alertManagerDefinition:AlertManagerDefinition",
} as const;

/** Prometheus's duration syntax (`1h30m`, `5m`, `3d`). @see https://prometheus.io/docs/prometheus/latest/configuration/configuration/#duration */
const DURATION = /^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const GROUP_KEYS = new Set(["name", "interval", "limit", "rules"]);
const RULE_KEYS = new Set(["record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"]);

type Doc = Record<string, unknown>;
const isMap = (v: unknown): v is Doc => typeof v === "object" && v !== null && !Array.isArray(v);

function parseYaml(text: string): { doc?: unknown; error?: string } {
    try {
        return { doc: parse(text) };
    } catch (e) {
        return { error: (e as Error).message.split("\n")[0] };
    }
}

/**
 * AMP's namespace name (1-64 characters of `[0-9A-Za-z][-.0-9A-Z_a-z]*`) and its limit on a namespace and group name
 * together (721 UTF-8 bytes). @see https://docs.aws.amazon.com/prometheus/latest/APIReference/API_CreateRuleGroupsNamespace.html
 */
const NAMESPACE_NAME = /^[0-9A-Za-z][-.0-9A-Z_a-z]{0,63}$/;
const NAME_BYTES = 721;

/** The problems Prometheus's rule file loader (which AMP runs on upload) reports for a rules document in `namespace`. */
export function ruleFileProblems(text: string, namespace = "rules"): string[] {
    const { doc, error } = parseYaml(text);
    if (error !== undefined) return [`not YAML: ${error}`];
    if (!isMap(doc) || !Array.isArray(doc.groups) || doc.groups.length === 0) return ["no `groups:` list"];
    const problems = Object.keys(doc)
        .filter((k) => k !== "groups")
        .map((k) => `unknown top-level field ${k}`);
    const names = new Set<string>();
    doc.groups.forEach((g: unknown, i) => {
        const at = `groups[${i}]`;
        if (!isMap(g)) return void problems.push(`${at} is not a map`);
        if (typeof g.name !== "string" || g.name === "") problems.push(`${at} has no name`);
        else if (names.has(g.name)) problems.push(`${at}: group name ${g.name} repeated`);
        else if (Buffer.byteLength(namespace + g.name, "utf8") > NAME_BYTES)
            problems.push(`${at}: namespace and group name together exceed ${NAME_BYTES} bytes`);
        else names.add(g.name);
        for (const k of Object.keys(g).filter((k) => !GROUP_KEYS.has(k))) problems.push(`${at}: unknown field ${k}`);
        if (g.interval !== undefined && !(typeof g.interval === "string" && DURATION.test(g.interval)))
            problems.push(`${at}: interval ${String(g.interval)} is not a duration`);
        if (!Array.isArray(g.rules)) return void problems.push(`${at} has no rules list`);
        g.rules.forEach((r: unknown, j) => {
            const rat = `${at}.rules[${j}]`;
            if (!isMap(r)) return void problems.push(`${rat} is not a map`);
            const recording = r.record !== undefined;
            if (recording === (r.alert !== undefined)) problems.push(`${rat}: exactly one of record and alert`);
            if (typeof r.expr !== "string" || r.expr.trim() === "") problems.push(`${rat}: no expr`);
            for (const k of Object.keys(r).filter((k) => !RULE_KEYS.has(k))) problems.push(`${rat}: unknown field ${k}`);
            if (recording && !(typeof r.record === "string" && METRIC_NAME.test(r.record)))
                problems.push(`${rat}: ${String(r.record)} is not a valid metric name`);
            if (recording)
                for (const k of ["for", "keep_firing_for", "annotations"].filter((k) => k in r)) problems.push(`${rat}: a recording rule takes no ${k}`);
            for (const k of ["for", "keep_firing_for"])
                if (r[k] !== undefined && !(typeof r[k] === "string" && DURATION.test(r[k]))) problems.push(`${rat}: ${k} ${String(r[k])} is not a duration`);
            for (const k of ["labels", "annotations"]) {
                if (r[k] === undefined) continue;
                if (!isMap(r[k])) problems.push(`${rat}: ${k} is not a map`);
                else
                    for (const [name, value] of Object.entries(r[k]))
                        if (!LABEL_NAME.test(name) || typeof value !== "string") problems.push(`${rat}: ${k}.${name} must be a label name with a string value`);
            }
        });
    });
    return problems;
}

/** The problems AMP reports (or silently suffers) for an Alertmanager definition. */
export function alertmanagerDefinitionProblems(text: string): string[] {
    const { doc, error } = parseYaml(text);
    if (error !== undefined) return [`not YAML: ${error}`];
    if (!isMap(doc)) return ["not a map"];
    const problems = Object.keys(doc)
        .filter((k) => k !== "alertmanager_config" && k !== "template_files")
        .map((k) => `unknown top-level field ${k} (AMP takes alertmanager_config and template_files)`);
    if (typeof doc.alertmanager_config !== "string")
        return [...problems, "alertmanager_config must hold the Alertmanager configuration as a string (`alertmanager_config: |`)"];
    const inner = parseYaml(doc.alertmanager_config);
    if (inner.error !== undefined || !isMap(inner.doc)) return [...problems, `alertmanager_config is not a YAML map${inner.error ? `: ${inner.error}` : ""}`];
    const receivers = Array.isArray(inner.doc.receivers) ? (inner.doc.receivers as unknown[]).filter(isMap) : [];
    const names = new Set(receivers.map((r) => r.name));
    for (const r of receivers) {
        for (const k of Object.keys(r).filter((k) => k !== "name" && k !== "sns_configs"))
            problems.push(`receiver ${String(r.name)}: ${k} (AMP supports only SNS receivers)`);
        for (const sns of (Array.isArray(r.sns_configs) ? r.sns_configs : []) as unknown[]) {
            if (!isMap(sns)) continue;
            if (!isMap(sns.sigv4) || typeof sns.sigv4.region !== "string") problems.push(`receiver ${String(r.name)}: sns_configs needs sigv4.region`);
            for (const k of ["api_url", "http_config"].filter((k) => k in sns)) problems.push(`receiver ${String(r.name)}: ${k} is not allowed in AMP`);
            if (typeof sns.topic_arn !== "string") problems.push(`receiver ${String(r.name)}: sns_configs needs a topic_arn`);
        }
    }
    const routed: string[] = [];
    const walk = (route: unknown) => {
        if (!isMap(route)) return;
        if (typeof route.receiver === "string") routed.push(route.receiver);
        for (const child of Array.isArray(route.routes) ? route.routes : []) walk(child);
    };
    walk(inner.doc.route);
    if (!isMap(inner.doc.route) || typeof inner.doc.route.receiver !== "string") problems.push("route needs a default receiver");
    for (const name of routed.filter((n) => !names.has(n))) problems.push(`route names receiver ${name}, which is not defined`);
    return problems;
}

export const ampDefinitionsAccepted = resourceGuardrail({
    name: "amp-definitions-accepted",
    description:
        "AMP rule groups namespaces hold a valid Prometheus rules file, and Alertmanager definitions are AMP's format: the configuration as a string under alertmanager_config, SNS receivers only, each with sigv4.region and without api_url/http_config, every routed receiver defined.",
    remediation: "Generate the rules with model/alertRules.ts and the definition with model/alertmanager.ts (both tested with promtool and amtool).",
    concern: "deployability",
    seed: "6 (alerting), issue #13",
    why: "AMP validates both on upload (the update fails mid-deploy), and an unsupported receiver never notifies: https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-alertmanager-config.html, https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-alertmanager-receiver-config.html, https://docs.aws.amazon.com/prometheus/latest/APIReference/API_CreateRuleGroupsNamespace.html (a rules file that fails to load leaves the namespace CREATION_FAILED/UPDATE_FAILED)",
    types: [AMP_T.rules, AMP_T.alertManager],
    check: ({ type, props }, report) => {
        const namespace = type === AMP_T.rules ? peek(() => props.name) : undefined;
        if (typeof namespace === "string" && !NAMESPACE_NAME.test(namespace))
            report(`namespace name ${namespace} is not 1-64 characters of [0-9A-Za-z][-.0-9A-Z_a-z]*`);
        const text = peek(() => (type === AMP_T.rules ? props.data : props.definition));
        // Computed from the topics' ARNs, the definition is unknown in preview: checked in the update.
        if (text === UNKNOWN || typeof text !== "string") return;
        const problems = type === AMP_T.rules ? ruleFileProblems(text, typeof namespace === "string" ? namespace : "") : alertmanagerDefinitionProblems(text);
        for (const p of problems) report(p);
    },
});
