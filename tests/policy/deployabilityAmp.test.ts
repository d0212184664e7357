/** amp-definitions-accepted (policy/deployabilityAmp.ts): compliant and violating fixtures in both modes, and the checks one by one. */
import * as assert from "node:assert/strict";
import { alertmanagerDefinition } from "../../model/alertmanager";
import { RULE_NAMESPACE } from "../../model/alertRules";
import { alertmanagerDefinitionProblems, ruleFileProblems } from "../../policy/deployabilityAmp";
import { AMP_CASES, definitionWith, generated, TARGETS } from "../support/ampCases";
import { describeCases } from "../support/policyCases";

describe("policy: AMP definitions", () => {
    describeCases(AMP_CASES);

    it("accepts the generated rules and definition, and names each problem", () => {
        assert.deepEqual(ruleFileProblems(generated, RULE_NAMESPACE), []);
        assert.deepEqual(alertmanagerDefinitionProblems(alertmanagerDefinition(TARGETS)), []);
        assert.deepEqual(ruleFileProblems("groups:\n  - name: g\n    rules:\n      - record: 1bad\n        expr: up\n        labels: { 'a-b': c }\n"), [
            "groups[0].rules[0]: 1bad is not a valid metric name",
            "groups[0].rules[0]: labels.a-b must be a label name with a string value",
        ]);
        assert.deepEqual(ruleFileProblems("groups:\n  - name: g\n    rules:\n      - expr: up\n"), ["groups[0].rules[0]: exactly one of record and alert"]);
        assert.deepEqual(ruleFileProblems(`groups:\n  - name: ${"g".repeat(720)}\n    rules: []\n`, "ns"), [
            "groups[0]: namespace and group name together exceed 721 bytes",
        ]);
        assert.deepEqual(alertmanagerDefinitionProblems(definitionWith((c) => (c.route.routes[1].receiver = "nobody"))), [
            "route names receiver nobody, which is not defined",
        ]);
        assert.deepEqual(alertmanagerDefinitionProblems(definitionWith((c) => (c.receivers[0].sns_configs[0].api_url = "https://sns"))), [
            "receiver page-on-call: api_url is not allowed in AMP",
        ]);
    });
});
