/** The log shippers' configuration, IAM, NetworkPolicies and FGAC requests (model/logShipping.ts, model/logSearchAccess.ts). */
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import {
    JOURNALD_UNITS,
    LOGGING_NAMESPACE,
    LOG_STREAM_KINDS,
    SHIPPER_POD_LABELS,
    fluentBitConfig,
    rolesAnywhereConfig,
    shipperLogGroupName,
    shipperNetworkPolicies,
    shipperStatements,
} from "../../model/logShipping";
import { INDEX_ACCESS_SCRIPT, indexAccessEnvironment, logRetentionPolicy, logWriterMapping, logWriterRole } from "../../model/logSearchAccess";
import { networkPolicyConnection } from "../../model/reachabilityK8s";
import { APP_NAMESPACE } from "../../model/ports";

const groups = { application: "/g/application", platform: "/g/platform", host: "/g/host" };
const base = { region: "eu-west-2", site: "eks" as const, logGroups: groups };

/** The sections of one classic-mode text, each as its key/value pairs. */
function sections(text: string): { name: string; entries: [string, string][] }[] {
    return text
        .split(/\n(?=\[)/)
        .filter((s) => s.trim())
        .map((s) => {
            const [head, ...lines] = s.trim().split("\n");
            return {
                name: head.replace(/[[\]]/g, ""),
                entries: lines.map((l) => {
                    const [k, ...v] = l.trim().split(/\s+/);
                    return [k, v.join(" ")] as [string, string];
                }),
            };
        });
}
const get = (s: { entries: [string, string][] }, key: string) => s.entries.filter(([k]) => k === key).map(([, v]) => v);

describe("Fluent Bit configuration (model/logShipping.ts)", () => {
    it("tails the portal's container logs apart from every other namespace's, and the node's kubelet and containerd units", () => {
        const inputs = sections(fluentBitConfig(base).inputs);
        const tails = inputs.filter((s) => get(s, "Name")[0] === "tail");
        const app = tails.find((s) => get(s, "Tag")[0] === "app.*")!;
        const platform = tails.find((s) => get(s, "Tag")[0] === "kube.*")!;
        assert.deepEqual(get(app, "Path"), [`/var/log/containers/*_${APP_NAMESPACE}_*.log`]);
        assert.deepEqual(get(platform, "Path"), ["/var/log/containers/*.log"]);
        assert.deepEqual(get(platform, "Exclude_Path"), get(app, "Path"), "the portal's files are not shipped twice");
        const journal = inputs.find((s) => get(s, "Name")[0] === "systemd")!;
        assert.deepEqual(
            get(journal, "Systemd_Filter"),
            JOURNALD_UNITS.map((u) => `_SYSTEMD_UNIT=${u}`),
        );
    });

    it("parses only the portal's logs (Django, FastAPI, Celery) as JSON", () => {
        const c = fluentBitConfig(base);
        const parsers = sections(c.filters).filter((s) => get(s, "Name")[0] === "parser");
        assert.deepEqual(
            parsers.map((p) => [get(p, "Match")[0], get(p, "Key_Name")[0], get(p, "Parser")[0]]),
            [["app.*", "log", "portal_json"]],
        );
        const [parser] = sections(c.customParsers);
        assert.deepEqual([get(parser, "Name")[0], get(parser, "Format")[0]], ["portal_json", "json"]);
        for (const k of sections(c.filters).filter((s) => get(s, "Name")[0] === "kubernetes")) assert.deepEqual(get(k, "Merge_Log"), ["Off"]);
    });

    it("ships each stream to its own Pulumi-made log group and never creates one", () => {
        const outputs = sections(fluentBitConfig(base).outputs).filter((s) => get(s, "Name")[0] === "cloudwatch_logs");
        assert.deepEqual(
            outputs.map((o) => [get(o, "Match")[0], get(o, "log_group_name")[0]]),
            [
                ["app.*", groups.application],
                ["kube.*", groups.platform],
                ["host.*", groups.host],
            ],
        );
        for (const o of outputs) {
            assert.deepEqual(get(o, "auto_create_group"), ["Off"]);
            assert.deepEqual(get(o, "region"), ["eu-west-2"]);
            assert.deepEqual(get(o, "log_retention_days"), [], "retention is the group's, set by Pulumi");
        }
    });

    it("signs its OpenSearch output with SigV4 over TLS, without mapping types, into the site's indices", () => {
        const withSearch = fluentBitConfig({ ...base, openSearch: { host: "vpc-logs.eu-west-2.es.amazonaws.com", indexPrefix: "logs" } });
        const [os] = sections(withSearch.outputs).filter((s) => get(s, "Name")[0] === "opensearch");
        const value = (k: string) => get(os, k)[0];
        assert.deepEqual(["Host", "Port", "tls", "tls.verify", "AWS_Auth", "AWS_Region", "Suppress_Type_Name", "Logstash_Prefix"].map(value), [
            "vpc-logs.eu-west-2.es.amazonaws.com",
            "443",
            "On",
            "On",
            "On",
            "eu-west-2",
            "On",
            "logs-eks",
        ]);
        assert.equal(sections(fluentBitConfig(base).outputs).filter((s) => get(s, "Name")[0] === "opensearch").length, 0, "no domain, no output");
    });

    it("calls the logs interface endpoint by its own name on-prem when given one", () => {
        const onPrem = fluentBitConfig({ ...base, site: "onprem", logsEndpoint: "vpce-1.logs.eu-west-2.vpce.amazonaws.com" });
        for (const o of sections(onPrem.outputs)) assert.deepEqual(get(o, "endpoint"), ["vpce-1.logs.eu-west-2.vpce.amazonaws.com"]);
        for (const o of sections(onPrem.outputs)) assert.deepEqual(get(o, "log_stream_prefix"), ["onprem-"]);
    });

    it("names the groups per stack, site and stream", () => {
        assert.equal(shipperLogGroupName("prod", "onprem", "host"), "/hybrid-platform/prod/logs/onprem/host");
        assert.equal(new Set(LOG_STREAM_KINDS.map((k) => shipperLogGroupName("prod", "eks", k))).size, 3);
    });
});

describe("Log shipper IAM (model/logShipping.ts)", () => {
    const arns = ["arn:aws:logs:eu-west-2:111122223333:log-group:/g/application", "arn:aws:logs:eu-west-2:111122223333:log-group:/g/host"];
    const domain = "arn:aws:es:eu-west-2:111122223333:domain/logs";

    it("may write streams and events into its own groups and post to the domain, nothing else", () => {
        const [logs, search] = shipperStatements(arns, domain);
        assert.deepEqual(logs.Action, ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]);
        assert.deepEqual(logs.Resource, [arns[0], `${arns[0]}:log-stream:*`, arns[1], `${arns[1]}:log-stream:*`]);
        assert.deepEqual(search.Action, ["es:ESHttpPost", "es:ESHttpPut"]);
        assert.equal(search.Resource, `${domain}/*`);
        const all = shipperStatements(arns, domain).flatMap((s) => [s.Action].flat());
        assert.ok(!all.includes("logs:CreateLogGroup") && !all.some((a) => a.endsWith("*")), "no group creation, no wildcard action");
    });

    it("has no OpenSearch statement without a domain (dr)", () => {
        assert.equal(shipperStatements(arns).length, 1);
    });

    it("gets on-prem credentials from Roles Anywhere through credential_process", () => {
        const text = rolesAnywhereConfig({
            region: "eu-west-2",
            trustAnchorArn: "arn:aws:rolesanywhere:eu-west-2:111122223333:trust-anchor/ta",
            profileArn: "arn:aws:rolesanywhere:eu-west-2:111122223333:profile/p",
            roleArn: "arn:aws:iam::111122223333:role/onprem-shipper",
            helperPath: "/h/aws_signing_helper",
            certificatePath: "/h/node.crt",
            privateKeyPath: "/h/node.key",
        });
        assert.match(
            text,
            /^credential_process = \/h\/aws_signing_helper credential-process --certificate \/h\/node.crt --private-key \/h\/node.key --trust-anchor-arn \S+trust-anchor\/ta --profile-arn \S+profile\/p --role-arn \S+role\/onprem-shipper$/m,
        );
    });
});

describe("Logging namespace NetworkPolicies (model/logShipping.ts)", () => {
    const policies = shipperNetworkPolicies({ site: "eks", httpsCidrs: ["10.10.8.0/22"] }).map((p) => ({ ...p, namespace: LOGGING_NAMESPACE }));
    const shipper = { kind: "pod" as const, namespace: LOGGING_NAMESPACE, labels: { ...SHIPPER_POD_LABELS }, ip: "10.10.4.10" };

    it("admits the shipper to the named blocks on 443 only", () => {
        assert.equal(networkPolicyConnection(policies, shipper, { kind: "address", ip: "10.10.8.20" }, 443).verdict, "allow");
        assert.equal(networkPolicyConnection(policies, shipper, { kind: "address", ip: "10.10.8.20" }, 80).verdict, "deny");
        assert.equal(networkPolicyConnection(policies, shipper, { kind: "address", ip: "198.51.100.7" }, 443).verdict, "deny", "not the internet");
    });

    it("denies everything else, both ways, and admits DNS to CoreDNS", () => {
        const other = { kind: "pod" as const, namespace: LOGGING_NAMESPACE, labels: { app: "intruder" }, ip: "10.10.4.11" };
        assert.equal(networkPolicyConnection(policies, other, { kind: "address", ip: "10.10.8.20" }, 443).verdict, "deny");
        assert.equal(networkPolicyConnection(policies, { kind: "address", ip: "10.10.4.99" }, shipper, 2020).verdict, "deny");
        const coreDns = { kind: "pod" as const, namespace: "kube-system", labels: { "k8s-app": "kube-dns" }, ip: "10.10.4.2" };
        assert.equal(networkPolicyConnection(policies, shipper, coreDns, 53, "udp").verdict, "allow");
    });
});

describe("Log search access (model/logSearchAccess.ts)", () => {
    it("maps the shippers' roles to a role that writes the log indices only", () => {
        const role = logWriterRole("logs");
        assert.deepEqual(role.index_permissions, [{ index_patterns: ["logs-*"], allowed_actions: ["crud", "create_index"] }]);
        assert.ok(!role.cluster_permissions.some((p) => /all_access|security|admin/.test(p)));
        assert.deepEqual(logWriterMapping(["arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b"]).backend_roles, [
            "arn:aws:iam::1:role/a",
            "arn:aws:iam::1:role/b",
        ]);
    });

    it("deletes the indices at the end of their retention, by template", () => {
        const { policy } = logRetentionPolicy("logs", 30);
        assert.deepEqual(policy.states[0].transitions, [{ state_name: "delete", conditions: { min_index_age: "30d" } }]);
        assert.deepEqual(policy.states[1].actions, [{ delete: {} }]);
        assert.deepEqual(policy.ism_template[0].index_patterns, ["logs-*"]);
    });

    it("sends what the environment carries, as JSON", () => {
        const env = indexAccessEnvironment({ indexPrefix: "logs", shipperRoleArns: ["arn:aws:iam::1:role/a"], retentionDays: 30 });
        assert.deepEqual(JSON.parse(env.WRITER_MAPPING_BODY).backend_roles, ["arn:aws:iam::1:role/a"]);
        assert.equal(env.WRITER_ROLE, "logs-writer");
        for (const v of ["DOMAIN_ENDPOINT", "REGION", "MASTER_ROLE_ARN", ...Object.keys(env)]) assert.ok(INDEX_ACCESS_SCRIPT.includes(`${v}`), v);
    });

    it("is a script bash parses and shellcheck passes (no secret on a command line)", function () {
        execFileSync("bash", ["-n"], { input: INDEX_ACCESS_SCRIPT });
        assert.ok(!/--user\s/.test(INDEX_ACCESS_SCRIPT), "credentials go through --config, not argv");
        const shellcheck = spawnSync("shellcheck", ["--version"]);
        if (shellcheck.error) {
            if (process.env.CI) throw new Error("shellcheck is missing in CI (.ci/run installs it)");
            this.skip();
        }
        execFileSync("shellcheck", ["--shell=bash", "-"], { input: INDEX_ACCESS_SCRIPT });
    });
});
