/** issue #13: the collectors on the prod plan (both modes) and on an on-prem cluster (IAM Roles Anywhere). */
import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterTelemetry, ClusterTelemetryArgs } from "../../../components/observability/collection/clusterTelemetry";
import { UNKNOWN } from "../../../policy/lib";
import { CHARTS } from "../../../model/versions";
import { configWith, one, ofType, planComponent, planOf, planStack } from "../../support";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

function alone(onPrem: boolean, withIdentity = onPrem) {
    return planComponent(() => {
        const provider = new k8s.Provider("eks", { kubeconfig: "{}" });
        const args: ClusterTelemetryArgs = {
            region: "eu-west-2",
            prometheusWorkspaceArn: "arn:aws:aps:eu-west-2:111122223333:workspace/ws-1",
            prometheusEndpoint: "https://aps-workspaces.eu-west-2.amazonaws.com/workspaces/ws-1/",
            clusters: {
                eks: {
                    provider,
                    clusterName: pulumi.output("prod-eks"),
                    oidc: { providerArn: pulumi.output("arn:aws:iam::111122223333:oidc-provider/x"), issuer: pulumi.output("oidc.eks/x") },
                },
                ...(onPrem ? { onPrem: { provider: new k8s.Provider("onprem", { kubeconfig: "{}" }), prerequisites: [] } } : {}),
                prerequisites: [],
            },
            privateSubnetCidrs: ["10.10.32.0/19", "10.10.64.0/19"],
            onPremNetwork: onPrem ? { endpointSecurityGroupId: "sg-endpoints", applicationCidr: "172.16.0.0/20" } : undefined,
            traceSampling: 0.1,
            scrapeIntervalSeconds: 30,
            ...(withIdentity
                ? {
                      onPrem: {
                          trustAnchorCertificate: PEM,
                          clientCommonName: "otel-collector.dc1",
                          clientCertificateSecretName: "telemetry-client-certificate",
                          signingHelperImage: `registry.dc1/aws-signing-helper@sha256:${"a".repeat(64)}`,
                      },
                  }
                : {}),
        };
        new ClusterTelemetry("telemetry", args);
    });
}

describe("ClusterTelemetry", () => {
    for (const mode of ["update", "preview"] as const) {
        it(`prod (${mode}): a collector, kube-state-metrics and node-exporter on EKS from the pinned charts, writing to the stack's workspace`, async () => {
            const plan = await planOf("prod", mode);
            const releases = ofType(plan, RELEASE).filter((r) => r.name.startsWith("telemetry-eks-"));
            for (const key of ["otelCollector", "kubeStateMetrics", "nodeExporter"] as const)
                assert.ok(
                    releases.some((r) => r.props.chart === CHARTS[key].chart && r.props.version === CHARTS[key].version),
                    key,
                );
            const values = one(plan, RELEASE, "telemetry-eks-otel-collector").props.values as any;
            if (mode === "update") {
                const workspace = ofType(plan, "aws:amp/workspace:Workspace")[0];
                assert.equal(values.config.exporters.prometheusremotewrite.endpoint, `${workspace.props.prometheusEndpoint}api/v1/remote_write`);
                assert.equal(values.config.extensions.sigv4auth.region, "eu-west-2");
                assert.equal(values.config.processors.probabilistic_sampler.sampling_percentage, 5, "the documented default");
            }
            const policy = one(plan, "aws:iam/rolePolicy:RolePolicy", "telemetry-irsa-otel-collector").props.policy;
            if (mode === "update") {
                const doc = JSON.parse(policy as string);
                const workspace = ofType(plan, "aws:amp/workspace:Workspace")[0];
                assert.deepEqual(
                    doc.Statement.map((s: any) => [s.Action, s.Resource]),
                    [
                        [["aps:RemoteWrite"], workspace.props.arn],
                        [["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "*"],
                    ],
                );
                const trust = JSON.parse(one(plan, "aws:iam/role:Role", "telemetry-irsa-otel-collector").props.assumeRolePolicy as string);
                assert.ok(JSON.stringify(trust).includes("system:serviceaccount:telemetry:otel-collector"));
            } else assert.ok(policy === UNKNOWN || typeof policy === "string");
            const ns = one(plan, "kubernetes:core/v1:Namespace", "telemetry-eks-ns").props.metadata as any;
            assert.equal(ns.labels["istio.io/dataplane-mode"], "ambient");
            assert.equal(ns.labels["pod-security.kubernetes.io/enforce"], "restricted");
        });
    }

    for (const drMode of ["standby", "active"] as const)
        it(`dr (${drMode}): the DR cluster's collector writes to dr's own workspace in dr's region, whose alerts page and open tickets there`, async () => {
            const plan = drMode === "active" ? await planStack("dr", { config: configWith("dr", { "hybrid-platform:drMode": "active" }) }) : await planOf("dr");
            const [workspace] = ofType(plan, "aws:amp/workspace:Workspace");
            assert.ok(workspace, "a workspace in the dr stack");
            const values = one(plan, RELEASE, "telemetry-eks-otel-collector").props.values as any;
            assert.equal(values.config.exporters.prometheusremotewrite.endpoint, `${workspace.props.prometheusEndpoint}api/v1/remote_write`);
            assert.equal(values.config.extensions.sigv4auth.region, "eu-west-1", "signed for dr's region, not the primary's");
            // The same rules as prod, and AMP may publish to both of dr's topics (else every alert would be dropped).
            assert.ok(one(plan, "aws:amp/ruleGroupNamespace:RuleGroupNamespace", "metrics-slo-rules").props.data);
            // dr's traces rest under dr's telemetry key, the workspace's (X-Ray's encryption is set per region).
            const xray = one(plan, "aws:xray/encryptionConfig:EncryptionConfig", "metrics-traces");
            assert.equal(xray.props.type, "KMS");
            assert.equal(xray.props.keyId, one(plan, "aws:kms/key:Key", "metrics-telemetry").props.arn);
            const definition = String(one(plan, "aws:amp/alertManagerDefinition:AlertManagerDefinition", "metrics-alertmanager").props.definition);
            const topics = ofType(plan, "aws:sns/topic:Topic").filter((t) => ["alerts", "alarms-ticket-alerts"].includes(t.name));
            assert.equal(topics.length, 2);
            for (const t of topics) {
                assert.ok(definition.includes(String(t.props.arn)), `${t.name} is routed`);
                const policy = ofType(plan, "aws:sns/topicPolicy:TopicPolicy").find((p) => p.props.arn === t.props.arn)!;
                assert.ok(String(policy.props.policy).includes("aps.amazonaws.com"), `${t.name} admits AMP`);
            }
        });

    it("on-prem: a trust anchor of the site CA, a profile vending a role only that anchor's certificate of the collector's CN can assume", async () => {
        const plan = await alone(true);
        const anchor = one(plan, "aws:rolesanywhere/trustAnchor:TrustAnchor", "telemetry-onprem-anchor");
        assert.deepEqual((anchor.props.source as any).sourceData.x509CertificateData, PEM);
        const role = one(plan, "aws:iam/role:Role", "telemetry-ra-onprem-collector");
        const trust = JSON.parse(role.props.assumeRolePolicy as string).Statement[0];
        assert.deepEqual(trust.Principal, { Service: "rolesanywhere.amazonaws.com" });
        assert.deepEqual(trust.Action, ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]);
        assert.deepEqual(trust.Condition, {
            StringEquals: { "aws:PrincipalTag/x509Subject/CN": "otel-collector.dc1" },
            ArnEquals: { "aws:SourceArn": anchor.props.arn },
        });
        const profile = one(plan, "aws:rolesanywhere/profile:Profile", "telemetry-onprem-profile");
        assert.deepEqual(profile.props.roleArns, [role.props.arn]);
        const values = one(plan, RELEASE, "telemetry-onprem-otel-collector").props.values as any;
        assert.equal(values.config.exporters.prometheusremotewrite.external_labels.site, "onPrem");
        assert.ok(values.hostAliases.some((a: any) => a.hostnames.includes("aps-workspaces.eu-west-2.amazonaws.com")));
        const helper = values.extraContainers[0];
        assert.ok(helper.args.includes(anchor.props.arn) && helper.args.includes(profile.props.arn) && helper.args.includes(role.props.arn));
        assert.ok(values.extraEnvs.some((e: any) => e.name === "AWS_EC2_METADATA_SERVICE_ENDPOINT"));
        // The endpoints' group admits the VPC only: the application VLAN is opened on 443, for the on-prem collector.
        const rule = one(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "telemetry-onprem-endpoints-https").props;
        assert.deepEqual([rule.securityGroupId, rule.cidrIpv4, rule.fromPort, rule.toPort], ["sg-endpoints", "172.16.0.0/20", 443, 443]);
    });

    it("refuses an on-prem cluster without the on-prem identity (the site would send nothing), and plans none without one", async () => {
        await assert.rejects(alone(true, false), /observability\.collection\.onPrem/);
        const plan = await alone(false);
        assert.equal(ofType(plan, "aws:rolesanywhere/trustAnchor:TrustAnchor").length, 0);
        assert.equal(ofType(plan, RELEASE).filter((r) => r.name.startsWith("telemetry-onprem")).length, 0);
    });
});
