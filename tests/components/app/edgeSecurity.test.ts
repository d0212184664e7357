/** Issue #11 security gaps in the app tier: the WAF's upload exception and logging, the autoscaler's scoped describe. */
import * as assert from "node:assert/strict";
import { BODY_SIZE_LABEL } from "../../../model/waf";
import { Plan, PlannedResource } from "../../../tools/offline";
import { ofType, planOf } from "../../support";

type Json = Record<string, any>;
const props = (r: PlannedResource) => r.props as Json;

describe("AppCluster security (prod plan)", () => {
    let plan: Plan;
    before(async () => {
        plan = await planOf("prod");
    });

    it("counts SizeRestrictions_BODY and blocks on its label after the group, except on the upload paths", () => {
        const [acl] = ofType(plan, "aws:wafv2/webAcl:WebAcl");
        const rules = props(acl).rules as Json[];
        const common = rules.find((r) => r.statement.managedRuleGroupStatement?.name === "AWSManagedRulesCommonRuleSet")!;
        assert.deepEqual(common.statement.managedRuleGroupStatement.ruleActionOverrides, [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }]);
        const labelRule = rules.find((r) => r.name === "body-over-8kb-outside-uploads")!;
        assert.ok(labelRule.priority > common.priority, "evaluated after the group that adds the label");
        assert.deepEqual(labelRule.action, { block: {} });
        const [label, notUpload] = labelRule.statement.andStatement.statements;
        assert.equal(label.labelMatchStatement.key, BODY_SIZE_LABEL);
        const uploads = new RegExp(notUpload.notStatement.statement.regexMatchStatement.regexString);
        assert.ok(uploads.test("/documents/upload/42") && !uploads.test("/login"));
        const limit = rules.find((r) => r.name === "upload-over-limit")!;
        const length = new RegExp(limit.statement.andStatement.statements[1].regexMatchStatement.regexString);
        assert.ok(length.test(String(25 * 1024 * 1024 + 1)) && !length.test(String(25 * 1024 * 1024)), "25 MiB ceiling on the declared length");
    });

    it("logs the WAF to a CMK-encrypted aws-waf-logs-* group, with credentials redacted", () => {
        const [acl] = ofType(plan, "aws:wafv2/webAcl:WebAcl");
        const [logging] = ofType(plan, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
        assert.equal(props(logging).resourceArn, props(acl).arn);
        const group = ofType(plan, "aws:cloudwatch/logGroup:LogGroup").find((g) => props(g).arn === props(logging).logDestinationConfigs[0])!;
        assert.match(props(group).name, /^aws-waf-logs-/);
        assert.ok(props(group).kmsKeyId, "encrypted with a CMK");
        assert.deepEqual(
            props(logging).redactedFields.map((f: Json) => f.singleHeader.name),
            ["authorization", "cookie", "x-csrftoken"],
        );
    });

    it("lets the cluster autoscaler describe only this cluster's node groups", () => {
        const policy = ofType(plan, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name.endsWith("irsa-cluster-autoscaler"))!;
        const statements = JSON.parse(props(policy).policy).Statement as Json[];
        const describing = statements.filter((s) => [s.Action].flat().includes("eks:DescribeNodegroup"));
        assert.equal(describing.length, 1);
        const nodeGroupArns = ofType(plan, "aws:eks/nodeGroup:NodeGroup").map((n) => props(n).arn);
        assert.deepEqual([describing[0].Resource].flat().sort(), [...nodeGroupArns].sort());
    });
});
