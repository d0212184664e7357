import * as assert from "node:assert/strict";
import { DEPLOYER_GROUP, READ_VERBS, deployerRules, groupBinding, operatorRules } from "../../model/rbac";

const touches = (rules: ReturnType<typeof operatorRules>, resource: string) => rules.some((r) => r.resources.includes(resource) || r.resources.includes("*"));

describe("model/rbac", () => {
    it("operators only read, and never Secrets", () => {
        for (const rule of operatorRules()) assert.deepEqual(rule.verbs, READ_VERBS);
        assert.equal(touches(operatorRules(), "secrets"), false);
    });

    it("the CI deployer writes only Deployments, and touches neither Secrets nor RBAC", () => {
        const writes = deployerRules().filter((r) => r.verbs.some((v) => !READ_VERBS.includes(v)));
        assert.deepEqual(writes, [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list", "watch", "patch", "update"] }]);
        assert.equal(touches(deployerRules(), "secrets"), false);
        assert.ok(deployerRules().every((r) => !r.apiGroups.includes("rbac.authorization.k8s.io") && !r.apiGroups.includes("*")));
    });

    it("binds a role to exactly one group", () => {
        assert.deepEqual(groupBinding("Role", "portal-ci-deployer", DEPLOYER_GROUP), {
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "portal-ci-deployer" },
            subjects: [{ kind: "Group", name: "portal-deployers", apiGroup: "rbac.authorization.k8s.io" }],
        });
    });
});
