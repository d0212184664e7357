/** The edge policies (policy/edge.ts): compliant and violating fixtures, see tests/support/policyCases.ts. */
import * as assert from "node:assert/strict";
import { T } from "../../policy/lib";
import { edgePolicies } from "../../policy/edge";
import { Case, describeCases, edge, ingress, key, single, webAclRules } from "../support/policyCases";
import { Fixture } from "../support/policyFixtures";
import { MESH_CASES } from "./meshCases";

const WEB_ACL_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration";
const LABEL = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body";

/** The Common rule set with SizeRestrictions_BODY counted (or not), and the label rule after it (or not). */
const bodySizeRules = (opts: { counted?: boolean; labelRule?: boolean; labelAction?: "block" | "count" } = {}) => [
    ...webAclRules().map((r) =>
        r.name === "common" && opts.counted !== false
            ? {
                  ...r,
                  statement: {
                      managedRuleGroupStatement: {
                          ...r.statement.managedRuleGroupStatement,
                          ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }],
                      },
                  },
              }
            : r,
    ),
    ...(opts.labelRule === false
        ? []
        : [
              {
                  name: "body-over-8kb-outside-uploads",
                  priority: 5,
                  action: { [opts.labelAction ?? "block"]: {} },
                  statement: {
                      andStatement: {
                          statements: [
                              { labelMatchStatement: { scope: "LABEL", key: LABEL } },
                              { notStatement: { statement: { regexMatchStatement: { regexString: "^(/upload)", fieldToMatch: { uriPath: {} } } } } },
                          ],
                      },
                  },
                  visibilityConfig: {},
              },
          ]),
];

function loggedAcl(f: Fixture, opts: { name?: string; redact?: string[]; logging?: boolean } = {}) {
    const acl = f.add(T.webAcl, "edge", { scope: "REGIONAL", defaultAction: { allow: {} }, rules: webAclRules() });
    const group = f.add(T.logGroup, "waf", { name: opts.name ?? "aws-waf-logs-prod-portal", retentionInDays: 365, kmsKeyId: f.arn(key(f)) });
    if (opts.logging !== false) {
        f.add(WEB_ACL_LOGGING, "edge", {
            resourceArn: f.arn(acl),
            logDestinationConfigs: [f.arn(group)],
            redactedFields: (opts.redact ?? ["authorization", "cookie"]).map((name) => ({ singleHeader: { name } })),
        });
    }
}

/**
 * A hostname's certificate and its ACM validation record, the record from the certificate's validation option (unknown
 * in preview, joined by URN) under a provider of `role`: the bootstrap stack's, unless a case says otherwise.
 */
function validationRecord(f: Fixture, opts: { role?: string; allowOverwrite?: boolean; acmValueOnly?: boolean } = {}) {
    const certificate = f.add("aws:acm/certificate:Certificate", "portal", { domainName: "portal.example.gov.uk", validationMethod: "DNS" });
    const role = opts.role ?? "bootstrap";
    const provider = f.add("pulumi:providers:aws", `aws-${role}`, {
        region: "eu-west-2",
        defaultTags: JSON.stringify({ tags: { role, environment: "production" } }),
    });
    const name = "_0123456789abcdef0123456789abcdef.portal.example.gov.uk.";
    const value = "_fedcba9876543210fedcba9876543210.acm-validations.aws.";
    const record = f.add("aws:route53/record:Record", "portal-validation", {
        zoneId: "Z0123456789ABCDEFGHIJ",
        // acmValueOnly: the value copied in as a literal (no certificate in this stack): recognised by ACM's domain alone.
        name: opts.acmValueOnly ? name : f.computed(certificate, name),
        type: opts.acmValueOnly ? "CNAME" : f.computed(certificate, "CNAME"),
        records: [opts.acmValueOnly ? value : f.computed(certificate, value)],
        ttl: 300,
        ...(opts.allowOverwrite === undefined ? {} : { allowOverwrite: opts.allowOverwrite }),
    });
    record.provider = provider.urn;
    return { certificate, record };
}

const CASES: Case[] = [
    single("waf-managed-rules", T.webAcl, () => ({ scope: "REGIONAL", rules: webAclRules() }), {
        "no SQLi rule group": () => ({ rules: webAclRules({ sqli: false }) }),
        "common rules in count mode": () => ({ rules: webAclRules({ commonCount: true }) }),
        "no rate-based rule": () => ({ rules: webAclRules({ rate: false }) }),
    }),
    {
        policy: "waf-on-internet-facing",
        compliant: (f) => {
            edge(f);
            ingress(f);
            f.add(T.lb, "internal", { internal: true, loadBalancerType: "application" });
        },
        violations: {
            "ALB without web ACL": (f) => void edge(f, { assoc: false }),
            "ALB with a web ACL lacking SQLi": (f) => void edge(f, { acl: { sqli: false } }),
            "internet-facing ingress without wafv2-acl-arn": (f) => void ingress(f, { "alb.ingress.kubernetes.io/wafv2-acl-arn": undefined }),
        },
    },
    // issue #11: the upload exception and WAF logging
    single("waf-body-size-exception", T.webAcl, () => ({ scope: "REGIONAL", rules: bodySizeRules() }), {
        "SizeRestrictions_BODY still blocks uploads": () => ({ rules: bodySizeRules({ counted: false, labelRule: false }) }),
        "counted without a label rule": () => ({ rules: bodySizeRules({ labelRule: false }) }),
        "label rule only counts": () => ({ rules: bodySizeRules({ labelAction: "count" }) }),
    }),
    // issue #11: one owner for the ACM validation record (finding 16)
    {
        policy: "acm-validation-record-single-owner",
        compliant: (f) => {
            validationRecord(f, { allowOverwrite: false });
            // Not a validation record: a prod stack's own records are none of this policy's business.
            f.add("aws:route53/record:Record", "www", {
                zoneId: "Z0123456789ABCDEFGHIJ",
                name: "www.example.gov.uk",
                type: "CNAME",
                records: ["portal.example.gov.uk"],
                ttl: 300,
            });
        },
        violations: {
            "allowOverwrite on the validation record": (f) => void validationRecord(f, { allowOverwrite: true }),
            "allowOverwrite on a copied ACM value": (f) => void validationRecord(f, { allowOverwrite: true, acmValueOnly: true }),
            "validation record created by a prod stack": (f) => void validationRecord(f, { role: "prod" }),
        },
    },
    {
        policy: "waf-logging",
        compliant: (f) => loggedAcl(f),
        violations: {
            "no logging configuration": (f) => loggedAcl(f, { logging: false }),
            "log group not named aws-waf-logs-*": (f) => loggedAcl(f, { name: "/hybrid-platform/prod/waf" }),
            "cookie not redacted": (f) => loggedAcl(f, { redact: ["authorization"] }),
        },
    },
];

// issue #12: HTTPS from the ALB to the pods.
CASES.push(...MESH_CASES.edge);

describe("policy pack: edge fixtures", () => {
    it("every edge policy has a case with at least one violation", () => {
        const covered = new Set(CASES.filter((c) => Object.keys(c.violations).length > 0).map((c) => c.policy));
        assert.deepEqual(
            edgePolicies.map((p) => p.name).filter((n) => !covered.has(n)),
            [],
        );
    });

    describeCases(CASES);
});
