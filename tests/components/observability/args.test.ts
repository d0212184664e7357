/** The observability tier's argument contracts: AlertTopic, LogSearch and Observability planned alone. */
import * as assert from "node:assert/strict";
import { AlertTopic } from "../../../components/observability/alertTopic";
import { LogSearch, LogSearchArgs } from "../../../components/observability/logSearch";
import { Observability, ObservabilityArgs } from "../../../components/observability/observability";
import { one } from "../../support";
import { PASSED_ACCOUNT, assertRejectsArgs, inRegion, planCountingLookups } from "../../support/args";

const LOGS: LogSearchArgs = {
    vpcId: "vpc-1",
    subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
    clientCidrs: ["10.10.32.0/19"],
    region: "eu-west-2",
    accountId: PASSED_ACCOUNT,
};
const OBS: ObservabilityArgs = {
    region: "eu-west-2",
    accountId: PASSED_ACCOUNT,
    alerts: { email: "oncall@example.gov.uk" },
    publicHostname: "portal.example.gov.uk",
    logSearch: { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b", "subnet-c"], clientCidrs: ["10.10.32.0/19"] },
};

describe("Observability arguments", () => {
    it("passes the account to its topics, keys and log search: no lookup, and every account-scoped document names it", async () => {
        const { plan, lookups } = await planCountingLookups(() => new Observability("obs", OBS, inRegion()));
        assert.equal(lookups, 0);
        const topicPolicy = JSON.parse(one(plan, "aws:sns/topicPolicy:TopicPolicy", "obs-alerts").props.policy as string);
        assert.deepEqual(topicPolicy.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": PASSED_ACCOUNT } });
        const access = JSON.parse(one(plan, "aws:opensearch/domain:Domain", "obs-logs").props.accessPolicies as string);
        assert.equal(access.Statement[0].Resource, `arn:aws:es:eu-west-2:${PASSED_ACCOUNT}:domain/obs-logs-prod/*`);
        const grafanaTrust = JSON.parse(one(plan, "aws:iam/role:Role", "obs-grafana").props.assumeRolePolicy as string);
        assert.deepEqual(grafanaTrust.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": PASSED_ACCOUNT } });
        assert.equal(one(plan, "aws:kms/alias:Alias", "obs-telemetry").props.name, "alias/hybrid-platform/prod/obs-telemetry");
    });

    it("refuses no alert destination, a URL for a hostname, percentages outside (0, 100] and a retention CloudWatch does not accept", async () => {
        await assertRejectsArgs(
            () =>
                new Observability(
                    "obs",
                    {
                        ...OBS,
                        alerts: {},
                        publicHostname: "https://portal.example.gov.uk",
                        cpuAlarmPercent: 0,
                        errorRateAlarmPercent: 150,
                        logRetentionDays: 100,
                    },
                    inRegion(),
                ),
            ["alerts", "publicHostname", "cpuAlarmPercent", "errorRateAlarmPercent", "logRetentionDays"],
        );
    });

    it("LogSearch refuses a subnet count zone awareness cannot span, no clients and a domain name OpenSearch refuses", async () => {
        await assertRejectsArgs(
            () => new LogSearch("logs", { ...LOGS, subnetIds: ["a", "b", "c", "d"], clientCidrs: [], volumeGb: 5 }, inRegion()),
            ["subnetIds", "clientCidrs", "volumeGb"],
        );
        await assertRejectsArgs(() => new LogSearch("1logs", LOGS, inRegion()), ["name"]);
    });

    it("AlertTopic refuses an address that is not one, a plain-HTTP endpoint and a publisher that is not a service principal", async () => {
        await assertRejectsArgs(
            () =>
                new AlertTopic(
                    "alerts",
                    { accountId: PASSED_ACCOUNT, email: "oncall", httpsEndpoint: "http://events.pagerduty.com/x", publishers: ["aps"] },
                    inRegion(),
                ),
            ["email", "httpsEndpoint", "publishers[0]"],
        );
    });
});
