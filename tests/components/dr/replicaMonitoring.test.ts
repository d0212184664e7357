/** The DR replica's monitoring and log exports (issue #11): what the SOC keeps once it is promoted. */
import * as assert from "node:assert/strict";
import { Plan, PlannedResource } from "../../../tools/offline";
import { drReplicaAlone, ofType, planOf } from "../../support";

type Json = Record<string, any>;
const props = (r: PlannedResource) => r.props as Json;

describe("DR replica monitoring (dr plan)", () => {
    let plan: Plan;
    before(async () => {
        plan = await planOf("dr");
    });

    it("has Enhanced Monitoring through a role RDS's monitoring service assumes for this account only", () => {
        const [db] = ofType(plan, "aws:rds/instance:Instance");
        assert.equal(props(db).monitoringInterval, 15);
        const role = ofType(plan, "aws:iam/role:Role").find((r) => props(r).arn === props(db).monitoringRoleArn)!;
        const [trust] = JSON.parse(props(role).assumeRolePolicy).Statement;
        assert.equal(trust.Principal.Service, "monitoring.rds.amazonaws.com");
        assert.ok(trust.Condition.StringEquals["aws:SourceAccount"]);
        const attachment = ofType(plan, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").find((a) => props(a).role === props(role).name)!;
        assert.match(props(attachment).policyArn, /AmazonRDSEnhancedMonitoringRole$/);
    });

    it("exports its logs into CMK-encrypted, expiring groups created before it", () => {
        const [db] = ofType(plan, "aws:rds/instance:Instance");
        assert.deepEqual(props(db).enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
        for (const log of props(db).enabledCloudwatchLogsExports as string[]) {
            const group = ofType(plan, "aws:cloudwatch/logGroup:LogGroup").find((g) => props(g).name === `/aws/rds/instance/${props(db).identifier}/${log}`)!;
            assert.ok(group, `log group of ${log}`);
            assert.ok(props(group).kmsKeyId);
            assert.equal(props(group).retentionInDays, 365);
            assert.ok(db.dependencies.includes(group.urn), "the instance waits for its log group");
        }
    });

    it("forwards the database logs to a SOC destination in the DR region, and refuses one in another region", async () => {
        const destination = "arn:aws:logs:eu-west-1:444455556666:destination:soc";
        const forwarded = await drReplicaAlone({ args: { socDestinationArn: destination } });
        const filters = ofType(forwarded, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter");
        assert.equal(filters.length, 2);
        assert.ok(filters.every((f) => props(f).destinationArn === destination));
        await assert.rejects(drReplicaAlone({ args: { socDestinationArn: "arn:aws:logs:eu-west-2:444455556666:destination:soc" } }), /socDestinationArn/);
    });
});
