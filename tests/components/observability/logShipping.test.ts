/** LogShipping (components/observability/logShipping/): on the prod and dr plans in both modes, and alone with an on-prem cluster. */
import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LogShipping, LogShippingArgs } from "../../../components/observability/logShipping/logShipping";
import { rolesAnywhereTrust } from "../../../components/observability/logShipping/shipperRoles";
import { CHARTS } from "../../../model/versions";
import { Plan, PlannedResource } from "../../../tools/offline";
import { UNKNOWN } from "../../../tools/mocks";
import { SOC_DESTINATION_ARN, byUrn, configWith, ofType, planComponent, planOf, planStack, socForwardingConfig, withOnPremCluster } from "../../support";
import { assertRejectsArgs } from "../../support/args";

const GROUP = "aws:cloudwatch/logGroup:LogGroup";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const COMMAND = "command:local:Command";
const inShipping = (r: PlannedResource) => r.urn.includes("hybrid:observability:LogShipping");
const targetOf = (plan: Plan, r: PlannedResource, prop: string) => (r.propertyDependencies[prop] ?? []).map((u) => byUrn(plan).get(u)!).find((x) => x.custom);
const shipperOf = (plan: Plan) => ofType(plan, RELEASE).filter((r) => r.props.chart === CHARTS.fluentBit.chart);
const doc = (v: unknown) => JSON.parse(v as string) as { Statement: Record<string, any>[] };

for (const mode of ["update", "preview"] as const) {
    describe(`LogShipping (prod, ${mode} mode)`, () => {
        let plan: Plan;
        before(async () => {
            plan = await planOf("prod", mode);
        });

        it("creates one CMK-encrypted group per stream with the configured retention, under the telemetry key", () => {
            const groups = ofType(plan, GROUP).filter(inShipping);
            assert.deepEqual(groups.map((g) => g.props.name).sort(), [
                "/hybrid-platform/prod/logs/eks/application",
                "/hybrid-platform/prod/logs/eks/host",
                "/hybrid-platform/prod/logs/eks/platform",
            ]);
            for (const g of groups) {
                assert.equal(g.props.retentionInDays, 365);
                const key = targetOf(plan, g, "kmsKeyId")!;
                assert.equal(key.type, "aws:kms/key:Key");
                assert.match(key.urn, /observability-telemetry/);
            }
        });

        it("installs the pinned fluent-bit chart as a DaemonSet in the logging namespace, on the EKS provider, after the nodes", () => {
            const [release] = shipperOf(plan);
            assert.equal(shipperOf(plan).length, 1, "one cluster in prod's plan (no on-prem kubeconfig)");
            assert.deepEqual(
                [release.props.version, (release.props.repositoryOpts as { repo: string }).repo],
                [CHARTS.fluentBit.version, CHARTS.fluentBit.repo],
            );
            const values = release.props.values as Record<string, any>;
            assert.deepEqual([values.kind, values.hostNetwork, values.serviceAccount.name], ["DaemonSet", false, "fluent-bit"]);
            const ns = targetOf(plan, release, "namespace")!;
            assert.equal((ns.props.metadata as { name: string }).name, "logging");
            const deps = release.dependencies.map((u) => byUrn(plan).get(u)!);
            assert.ok(
                deps.some((d) => d.type === "aws:eks/nodeGroup:NodeGroup"),
                "waits for the node groups",
            );
            assert.ok(
                deps.some((d) => d.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy"),
                "and for its NetworkPolicies",
            );
            assert.ok(
                deps.some((d) => d.type === COMMAND),
                "and for its FGAC mapping (no 403 on the first _bulk)",
            );
            const eksProvider = ofType(plan, "pulumi:providers:kubernetes").find((p) => p.urn === release.provider?.split("::").slice(0, -1).join("::"));
            assert.ok(eksProvider === undefined || !/onprem/.test(eksProvider.name));
        });

        it("signs as an IRSA role of logging/fluent-bit that may write its groups and the domain only", () => {
            const role = ofType(plan, "aws:iam/role:Role").find((r) => r.name === "observability-shipping-irsa-log-shipper")!;
            const policy = ofType(plan, "aws:iam/rolePolicy:RolePolicy").find((r) => r.name === role.name)!;
            if (mode === "preview") {
                assert.ok(
                    policy.propertyDependencies.policy.some((u) => byUrn(plan).get(u)?.type === GROUP),
                    "the policy is built from the groups",
                );
                return;
            }
            const trust = doc(role.props.assumeRolePolicy).Statement[0];
            assert.deepEqual(Object.values(trust.Condition.StringEquals)[0], "system:serviceaccount:logging:fluent-bit");
            const statements = doc(policy.props.policy).Statement;
            const groupArns = ofType(plan, GROUP)
                .filter(inShipping)
                .map((g) => g.props.arn as string);
            assert.deepEqual(new Set(statements[0].Resource.filter((r: string) => !r.endsWith(":*"))), new Set(groupArns));
            assert.ok(!JSON.stringify(statements).includes("CreateLogGroup"));
            const [domain] = ofType(plan, "aws:opensearch/domain:Domain");
            assert.deepEqual([statements[1].Action, statements[1].Resource], [["es:ESHttpPost", "es:ESHttpPut"], `${domain.props.arn}/*`]);
            const values = shipperOf(plan)[0].props.values as Record<string, any>;
            assert.equal(values.serviceAccount.annotations["eks.amazonaws.com/role-arn"], role.props.arn);
        });

        it("writes the domain's endpoint and the groups' names into the shipper's configuration", () => {
            const values = shipperOf(plan)[0].props.values as Record<string, any>;
            if (mode === "preview") {
                assert.equal(values.config, UNKNOWN, "computed from the groups and the domain");
                return;
            }
            const [domain] = ofType(plan, "aws:opensearch/domain:Domain");
            assert.ok((values.config.outputs as string).includes(`Host               ${domain.props.endpoint}`));
            for (const g of ofType(plan, GROUP).filter(inShipping)) assert.ok((values.config.outputs as string).includes(`log_group_name    ${g.props.name}`));
        });

        it("maps the shipper role in the domain's access control from the runner, as the master user it may assume", () => {
            const command = ofType(plan, COMMAND).find((c) => c.name.endsWith("-index-access"))!;
            const role = ofType(plan, "aws:iam/role:Role").find((r) => r.name === "observability-shipping-irsa-log-shipper")!;
            assert.ok(command.dependencies.includes(role.urn), "after the role exists");
            const admin = ofType(plan, "aws:iam/role:Role").find((r) => r.name === "observability-logs-admin")!;
            const adminPolicy = ofType(plan, "aws:iam/rolePolicy:RolePolicy").find((r) => r.name === "observability-logs-admin")!;
            const runner = ofType(plan, "aws:iam/role:Role").find((r) => /runner/.test(r.name) && !/codebuild-service/.test(r.name));
            if (mode === "preview") {
                assert.ok(runner && admin.propertyDependencies.assumeRolePolicy.includes(runner.urn), "the admin role's trust names the runner's role");
                return;
            }
            const env = command.props.environment as Record<string, string>;
            assert.deepEqual(JSON.parse(env.WRITER_MAPPING_BODY).backend_roles, [role.props.arn]);
            assert.equal(env.MASTER_ROLE_ARN, admin.props.arn);
            const trusts = doc(admin.props.assumeRolePolicy).Statement;
            assert.equal(trusts[0].Condition.Bool["aws:MultiFactorAuthPresent"], "true", "humans still need MFA");
            assert.deepEqual(trusts[1].Principal.AWS, [runner!.props.arn]);
            assert.equal(doc(adminPolicy.props.policy).Statement[0].Action, "es:ESHttp*", "the master user may call the domain");
        });
    });
}

describe("LogShipping (dr)", () => {
    it("ships the DR cluster into its own region's groups under a key of its own, with no OpenSearch output or mapping", async () => {
        const plan = await planOf("dr");
        const groups = ofType(plan, GROUP).filter(inShipping);
        assert.equal(groups.length, 3);
        for (const g of groups)
            assert.match(targetOf(plan, g, "kmsKeyId")!.urn, /hybrid:security:CustomerKey\$aws:kms\/key:Key::logs$/, "LogShipping's own key");
        assert.equal(ofType(plan, COMMAND).length, 0);
        const values = shipperOf(plan)[0].props.values as { config: { outputs: string } };
        assert.ok(!values.config.outputs.includes("opensearch"));
    });
});

describe("WAF request log to the SOC (issue #13 item 7)", () => {
    it("subscribes the SOC's destination to prod's aws-waf-logs group, which has its CMK and a year's retention", async () => {
        const plan = await planStack("prod", { config: socForwardingConfig() });
        const filters = ofType(plan, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter");
        const waf = filters.map((f) => targetOf(plan, f, "logGroup")!).find((g) => (g.props.name as string).startsWith("aws-waf-logs-"));
        assert.ok(waf, "a filter on the WAF's log group");
        const filter = filters.find((f) => targetOf(plan, f, "logGroup") === waf)!;
        assert.equal(filter.props.destinationArn, SOC_DESTINATION_ARN);
        assert.equal(waf.props.retentionInDays, 365);
        assert.equal(targetOf(plan, waf, "kmsKeyId")?.type, "aws:kms/key:Key");
    });
});

/** A ClusterAccess of two bare providers, the way AppCluster.clusters hands them over. */
function clusters(onPrem: boolean): LogShippingArgs["clusters"] {
    return {
        eks: {
            provider: new k8s.Provider("eks", {}),
            clusterName: pulumi.output("prod-app"),
            oidc: {
                providerArn: pulumi.output("arn:aws:iam::111122223333:oidc-provider/oidc.eks"),
                issuer: pulumi.output("oidc.eks.eu-west-2.amazonaws.com/id/X"),
            },
        },
        ...(onPrem ? { onPrem: { provider: new k8s.Provider("onprem", {}), prerequisites: [] } } : {}),
        prerequisites: [],
    };
}
const ANCHOR = "arn:aws:rolesanywhere:eu-west-2:111122223333:trust-anchor/ta";
const alone =
    (over: Partial<LogShippingArgs> = {}, onPrem = true) =>
    () =>
        new LogShipping("logs", {
            region: "eu-west-2",
            accountId: "111122223333",
            clusters: clusters(onPrem),
            httpsCidrs: { eks: ["10.10.0.0/16"], onprem: ["10.10.0.0/16", "172.16.0.0/20"] },
            onPremIdentity: { trustAnchorArn: ANCHOR, profileArn: "arn:aws:rolesanywhere:eu-west-2:111122223333:profile/p" },
            ...over,
        });

describe("LogShipping with an on-prem cluster", () => {
    it("runs a second shipper on-prem, as a role only Roles Anywhere may assume for the site's trust anchor", async () => {
        const plan = await planComponent(alone());
        const releases = shipperOf(plan);
        assert.equal(releases.length, 2);
        const onPrem = releases.find((r) => r.name === "logs-onprem-fluent-bit")!;
        const values = onPrem.props.values as Record<string, any>;
        assert.deepEqual(values.env, [{ name: "AWS_CONFIG_FILE", value: "/fluent-bit/etc/conf/aws-config" }]);
        assert.match(
            values.config.extraFiles["aws-config"],
            /credential_process = \S+aws_signing_helper credential-process .*--trust-anchor-arn arn:aws:rolesanywhere/,
        );
        assert.deepEqual(values.serviceAccount.annotations, {}, "no IRSA on-prem");
        const role = ofType(plan, "aws:iam/role:Role").find((r) => r.name === "logs-onprem-shipper")!;
        assert.equal(role.props.assumeRolePolicy, rolesAnywhereTrust(ANCHOR));
        const trust = doc(role.props.assumeRolePolicy).Statement[0];
        assert.deepEqual([trust.Principal.Service, trust.Condition.ArnEquals["aws:SourceArn"]], ["rolesanywhere.amazonaws.com", ANCHOR]);
        assert.deepEqual(trust.Action, ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]);
        assert.equal(ofType(plan, GROUP).filter((g) => (g.props.name as string).includes("/onprem/")).length, 3);
    });

    it("plans no on-prem shipper without the on-prem identity (it would have no credentials)", async () => {
        const plan = await planComponent(alone({ onPremIdentity: undefined }));
        assert.deepEqual(
            shipperOf(plan).map((r) => r.name),
            ["logs-eks-fluent-bit"],
        );
    });

    it("refuses args that would ship nowhere", async () => {
        await assertRejectsArgs(alone({ httpsCidrs: { eks: [] } }), ["httpsCidrs.eks", "httpsCidrs.onprem"]);
        await assertRejectsArgs(alone({ indexPrefix: "Logs_" }), ["indexPrefix"]);
        await assertRejectsArgs(alone({ retentionDays: 42 }), ["retentionDays"]);
    });
});

describe("LogShipping config (observability.logs)", () => {
    it("takes the retention and index prefix from the stack's config", async () => {
        const config = configWith("prod", {
            "hybrid-platform:observability": JSON.stringify({
                logs: { retentionDays: 731, hostRetentionDays: 400, indexPrefix: "portal-logs", searchRetentionDays: 14 },
            }),
        });
        const plan = await planStack("prod", { config });
        const retention = Object.fromEntries(
            ofType(plan, GROUP)
                .filter(inShipping)
                .map((g) => [(g.props.name as string).split("/").pop(), g.props.retentionInDays]),
        );
        assert.deepEqual(retention, { application: 731, platform: 731, host: 400 });
        const env = ofType(plan, COMMAND).find((c) => c.name.endsWith("-index-access"))!.props.environment as Record<string, string>;
        assert.equal(env.WRITER_ROLE, "portal-logs-writer");
        assert.match(env.ISM_POLICY_BODY, /"min_index_age":"14d"/);
        assert.match((shipperOf(plan)[0].props.values as { config: { outputs: string } }).config.outputs, /Logstash_Prefix\s+portal-logs-eks/);
    });
});

describe("prod with an on-prem cluster: the on-prem shippers sign with the collector's Roles Anywhere identity", () => {
    it("ships from the on-prem cluster under a role only the site's trust anchor can vend", async () => {
        const plan = await planStack("prod", { config: withOnPremCluster("prod", "rke2") });
        const onPrem = ofType(plan, "pulumi:providers:kubernetes").find((p) => p.name.endsWith("onprem"))!;
        const releases = ofType(plan, "kubernetes:helm.sh/v3:Release").filter((r) => r.props.chart === "fluent-bit");
        assert.equal(releases.filter((r) => r.provider?.startsWith(onPrem.urn)).length, 1, "a shipper on the on-prem cluster");
        const [anchor] = ofType(plan, "aws:rolesanywhere/trustAnchor:TrustAnchor");
        assert.ok(anchor, "the collector's trust anchor");
        const shipperRoles = ofType(plan, "aws:iam/role:Role").filter((r) => String(r.props.assumeRolePolicy).includes("rolesanywhere.amazonaws.com"));
        assert.ok(
            shipperRoles.some((r) => r.name.includes("shipping") && String(r.props.assumeRolePolicy).includes(String(anchor.props.arn))),
            "the on-prem shipper's role names the one trust anchor",
        );
    });
});
