import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { createMetrics } from "../../../components/observability/metrics";
import { Observability } from "../../../components/observability/observability";
import { assertRejectsArgs, inRegion } from "../../support/args";
import { GRAFANA_TOKEN_SECONDS } from "../../../components/observability/dashboards";
import { RECEIVERS } from "../../../model/alertmanager";
import { dashboards, DATASOURCE_UIDS } from "../../../model/dashboards";
import { UNKNOWN } from "../../../tools/mocks";
import { Plan } from "../../../tools/offline";
import { byUrn, ofType, one, planComponent, planOf, stackConfig } from "../../support";

describe("Observability dashboards and Alertmanager routing", () => {
    for (const mode of ["update", "preview"] as const)
        describe(`prod (${mode})`, () => {
            let plan: Plan;
            before(async () => {
                plan = await planOf("prod", mode);
            });

            it("applies the dashboards through a Grafana provider on the workspace, with a deploy token of at most 30 days", () => {
                const [workspace] = ofType(plan, "aws:grafana/workspace:Workspace");
                const [provider] = ofType(plan, "pulumi:providers:grafana");
                const [token] = ofType(plan, "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken");
                assert.deepEqual(provider.propertyDependencies.url, [workspace.urn]);
                assert.deepEqual(provider.propertyDependencies.auth, [token.urn]);
                if (mode === "update") assert.equal(provider.props.url, `https://${workspace.props.endpoint as string}`);
                else assert.equal(provider.props.url, UNKNOWN);
                assert.ok((token.props.secondsToLive as number) <= GRAFANA_TOKEN_SECONDS && GRAFANA_TOKEN_SECONDS === 2592000);
                const [account] = ofType(plan, "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount");
                assert.deepEqual(token.propertyDependencies.serviceAccountId, [account.urn]);
                for (const r of plan.resources.filter((x) => x.type.startsWith("grafana:")))
                    assert.ok(r.provider?.includes("pulumi:providers:grafana::"), r.name);
            });

            it("queries AMP and CloudWatch through data sources with the dashboards' uids, signed by the workspace role", () => {
                const sources = ofType(plan, "grafana:oss/dataSource:DataSource");
                assert.deepEqual(sources.map((s) => s.props.uid).sort(), Object.values(DATASOURCE_UIDS).sort());
                const amp = sources.find((s) => s.props.type === "prometheus")!;
                const [workspace] = ofType(plan, "aws:amp/workspace:Workspace");
                assert.deepEqual(amp.propertyDependencies.url, [workspace.urn]);
                assert.equal((JSON.parse(amp.props.jsonDataEncoded as string) as { sigV4Auth: boolean }).sigV4Auth, true);
            });

            it("holds each dashboard of model/dashboards.ts in the folder, as generated", () => {
                const cfg = stackConfig("prod");
                const models = dashboards({ slo: cfg.observability.slo, region: cfg.region });
                const folder = one(plan, "grafana:oss/folder:Folder", "observability-grafana-folder");
                const planned = ofType(plan, "grafana:oss/dashboard:Dashboard");
                assert.deepEqual(
                    planned.map((d) => JSON.parse(d.props.configJson as string)),
                    models.map((m) => JSON.parse(JSON.stringify(m))),
                );
                for (const d of planned) assert.deepEqual(d.propertyDependencies.folder, [folder.urn]);
                assert.ok(byUrn(plan).has(folder.urn));
            });
        });

    it("routes warnings to the ticket topic when one is given, pages to the alert topic", async () => {
        const plan = await planComponent(() => {
            const parent = new pulumi.ComponentResource("test:index:Parent", "obs");
            createMetrics(parent, "obs", {
                stack: "prod",
                region: "eu-west-2",
                retentionInDays: 30,
                cpuPercent: 80,
                errorRatePercent: 1,
                keyArn: "arn:aws:kms:eu-west-2:111122223333:key/k",
                alertTopicArn: pulumi.output("arn:aws:sns:eu-west-2:111122223333:page"),
                ticketTopicArn: pulumi.output("arn:aws:sns:eu-west-2:111122223333:ticket"),
            });
        });
        const [am] = ofType(plan, "aws:amp/alertManagerDefinition:AlertManagerDefinition");
        const inner = parse((parse(am.props.definition as string) as { alertmanager_config: string }).alertmanager_config) as {
            receivers: Array<{ name: string; sns_configs: Array<{ topic_arn: string }> }>;
        };
        assert.deepEqual(
            inner.receivers.map((r) => [r.name, r.sns_configs[0].topic_arn]),
            [
                [RECEIVERS.page, "arn:aws:sns:eu-west-2:111122223333:page"],
                [RECEIVERS.ticket, "arn:aws:sns:eu-west-2:111122223333:ticket"],
            ],
        );
    });

    it("refuses SLOs that leave no budget before registering anything", async () => {
        const args = {
            region: "eu-west-2",
            accountId: "111122223333",
            alerts: { email: "oncall@example.gov.uk" },
            publicHostname: "portal.example.gov.uk",
            logSearch: { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b", "subnet-c"], clientCidrs: ["10.10.32.0/19"] },
            slo: { availabilityTargetPercent: 100, latencyThresholdSeconds: 0 },
        };
        await assertRejectsArgs(() => new Observability("obs", args, inRegion()), ["slo.availabilityTargetPercent", "slo.latencyThresholdSeconds"]);
    });
});
