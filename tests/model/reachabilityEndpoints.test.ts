/**
 * The IAM evaluator of the endpointPolicy/resourcePolicy layers on small hand-built documents (IAM's evaluation
 * logic: explicit Deny wins, an Allow is needed, wildcards, condition operators and absent keys, unknown values),
 * fast-check properties, and the generated endpoint and bucket policies against the calls the flows make.
 */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { AWS_OWNED_BUCKETS, ENDPOINT_SERVICE_RULES, SOURCE_VPCE_SID, endpointPolicyStatements, sourceVpceDeny } from "../../model/endpointPolicies";
import { INTERFACE_ENDPOINTS } from "../../model/network";
import { FLOWS } from "../../model/flows";
import { tlsOnlyStatements } from "../../components/security/secureBucket";
import {
    FLOW_CALLS,
    IamRequest,
    PolicyStatementLike,
    UNKNOWN_VALUE,
    evaluatePolicy,
    globMatch,
    parsePolicy,
    requestOf,
} from "../../model/reachabilityEndpoints";

const ACCOUNT = "111122223333";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/prod-irsa-django-web`;
const BUCKET = "arn:aws:s3:::hybrid-platform-prod-documents-111122223333";
const GATEWAY = "vpce-0gateway";

const request = (over: Partial<IamRequest> = {}, context: Record<string, string> = {}): IamRequest => ({
    action: "s3:GetObject",
    resource: `${BUCKET}/a.pdf`,
    principal: { kind: "aws", arn: ROLE },
    ...over,
    context: {
        "aws:PrincipalAccount": ACCOUNT,
        "aws:PrincipalArn": ROLE,
        "aws:SourceVpce": GATEWAY,
        "aws:SecureTransport": "true",
        "s3:TlsVersion": "1.3",
        ...context,
    },
});
const allowAll: PolicyStatementLike = { Sid: "All", Effect: "Allow", Principal: "*", Action: "*", Resource: "*" };
const verdict = (statements: readonly PolicyStatementLike[] | undefined | "unknown", r = request(), requireAllow = true) =>
    evaluatePolicy("test", statements, r, requireAllow).verdict;

describe("IAM evaluator (model/reachabilityEndpoints.ts)", () => {
    it("an explicit Deny beats any Allow, and names its Sid", () => {
        const deny: PolicyStatementLike = { Sid: "NoGet", Effect: "Deny", Principal: "*", Action: "s3:GetObject", Resource: "*" };
        const d = evaluatePolicy("test", [allowAll, deny], request());
        assert.equal(d.verdict, "deny");
        assert.match(d.rule, /NoGet denies s3:GetObject/);
    });

    it("without a matching Allow the call is implicitly denied; a resource policy only has to not deny", () => {
        const other: PolicyStatementLike = { Effect: "Allow", Principal: "*", Action: "s3:PutObject", Resource: "*" };
        assert.equal(verdict([other]), "deny");
        assert.match(evaluatePolicy("test", [other], request()).rule, /implicit deny/);
        assert.equal(verdict([other], request(), false), "allow");
    });

    it("no policy at all is AWS's default endpoint policy: full access", () => {
        assert.equal(verdict(undefined), "allow");
    });

    it("action wildcards match case-insensitively, resource wildcards by ARN", () => {
        assert.equal(verdict([{ Effect: "Allow", Principal: "*", Action: "S3:Get*", Resource: `${BUCKET}/*` }]), "allow");
        assert.equal(verdict([{ Effect: "Allow", Principal: "*", Action: "s3:Put*", Resource: `${BUCKET}/*` }]), "deny");
        assert.equal(verdict([{ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::other/*" }]), "deny");
        assert.ok(globMatch("s3:GetObject?ersion", "s3:GetObjectVersion"));
        assert.ok(!globMatch("s3:GetObject", "s3:GetObjectVersionForReplication"));
    });

    it("aws:SourceVpce: the right endpoint passes the deny, another endpoint and no endpoint are denied", () => {
        const policy = [sourceVpceDeny(BUCKET, [GATEWAY], [])];
        assert.equal(verdict(policy, request(), false), "allow");
        assert.equal(verdict(policy, request({}, { "aws:SourceVpce": "vpce-0other" }), false), "deny");
        // Outside any endpoint the key is absent: StringNotEquals matches, so the deny applies.
        const outside = request();
        const { ["aws:SourceVpce"]: _, ...withoutVpce } = outside.context;
        assert.equal(verdict(policy, { ...outside, context: withoutVpce }, false), "deny");
    });

    it("...IfExists matches an absent key; a positive operator does not", () => {
        const ifExists: PolicyStatementLike = { ...allowAll, Condition: { StringEqualsIfExists: { "aws:SourceVpc": "vpc-1" } } };
        const strict: PolicyStatementLike = { ...allowAll, Condition: { StringEquals: { "aws:SourceVpc": "vpc-1" } } };
        assert.equal(verdict([ifExists]), "allow");
        assert.equal(verdict([strict]), "deny");
    });

    it("principals: * admits anyone, an account root admits its roles only, Service only that service", () => {
        assert.equal(verdict([{ ...allowAll, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }]), "allow");
        assert.equal(verdict([{ ...allowAll, Principal: { AWS: "arn:aws:iam::444455556666:root" } }]), "deny");
        assert.equal(verdict([{ ...allowAll, Principal: { Service: "s3.amazonaws.com" } }]), "deny");
    });

    it("an unknown value (preview) makes the verdict unknown, never a guess", () => {
        const scoped: PolicyStatementLike = { ...allowAll, Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } } };
        assert.equal(verdict([scoped], request({}, { "aws:PrincipalAccount": UNKNOWN_VALUE })), "unknown");
        assert.equal(verdict("unknown"), "unknown");
        assert.equal(verdict([{ ...scoped, Condition: { StringEquals: { "aws:PrincipalAccount": UNKNOWN_VALUE } } }]), "unknown");
        assert.equal(parsePolicy(42), "unknown");
    });

    it("the TLS-only denies every bucket carries do not block the pods' HTTPS calls", () => {
        assert.equal(verdict([...tlsOnlyStatements(BUCKET), sourceVpceDeny(BUCKET, [GATEWAY], [])], request(), false), "allow");
        assert.equal(verdict(tlsOnlyStatements(BUCKET), request({}, { "aws:SecureTransport": "false" }), false), "deny");
    });

    const statementArb = fc.record({
        Effect: fc.constantFrom("Allow", "Deny"),
        Principal: fc.constantFrom<unknown>("*", { AWS: `arn:aws:iam::${ACCOUNT}:root` }, { AWS: "arn:aws:iam::444455556666:root" }),
        Action: fc.constantFrom("*", "s3:*", "s3:GetObject", "s3:PutObject", "s3:Get*", "kms:Decrypt"),
        Resource: fc.constantFrom("*", `${BUCKET}/*`, "arn:aws:s3:::other/*"),
        Condition: fc.option(
            fc.constantFrom(
                { StringEquals: { "aws:PrincipalAccount": ACCOUNT } },
                { StringNotEquals: { "aws:SourceVpce": GATEWAY } },
                { StringNotEquals: { "aws:SourceVpce": "vpce-0other" } },
                { ArnNotEquals: { "aws:PrincipalArn": ROLE } },
                { StringEqualsIfExists: { "aws:ResourceAccount": ACCOUNT } },
            ),
            { nil: undefined },
        ),
    }) as fc.Arbitrary<PolicyStatementLike>;

    it("property: adding an Allow statement never turns an admitted call into a blocked one", () => {
        fc.assert(
            fc.property(fc.array(statementArb, { maxLength: 6 }), statementArb, (statements, extra) => {
                fc.pre(verdict(statements) === "allow");
                return verdict([...statements, { ...extra, Effect: "Allow" }]) === "allow";
            }),
        );
    });

    it("property: adding an explicit Deny that matches the call always blocks it", () => {
        fc.assert(
            fc.property(fc.array(statementArb, { maxLength: 6 }), fc.boolean(), (statements, first) => {
                const deny: PolicyStatementLike = { Effect: "Deny", Principal: "*", Action: "s3:GetObject", Resource: `${BUCKET}/*` };
                return verdict(first ? [deny, ...statements] : [...statements, deny]) === "deny";
            }),
        );
    });
});

describe("endpoint and bucket policies (model/endpointPolicies.ts) against the flows' calls", () => {
    const env = { account: ACCOUNT, region: "eu-west-2", documents: "hybrid-platform-prod-documents-111122223333", sourceVpce: GATEWAY };
    const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

    it("every endpoint service we create has a rule with its AWS page", () => {
        for (const service of ["s3", ...INTERFACE_ENDPOINTS]) {
            const rule = ENDPOINT_SERVICE_RULES.find((r) => r.service === service);
            assert.ok(rule, service);
            assert.match(rule.page, /^https:\/\/docs\.aws\.amazon\.com\//);
        }
    });

    it("FLOW_CALLS names declared flows only", () => {
        for (const name of Object.keys(FLOW_CALLS))
            assert.ok(
                FLOWS.some((f) => f.name === name),
                name,
            );
    });

    it("each flow's calls pass the generated endpoint policy of their endpoint", () => {
        for (const [flow, calls] of Object.entries(FLOW_CALLS))
            for (const call of calls) {
                const statements = endpointPolicyStatements(call.endpoint, ACCOUNT, env.region);
                const d = evaluatePolicy(call.endpoint, statements, requestOf(call, { ...env, roleArn }));
                assert.equal(d.verdict, "allow", `${flow}: ${d.rule}`);
            }
    });

    it("a foreign account's credential is refused by every endpoint, and S3 refuses our principals a foreign bucket", () => {
        const foreign = "arn:aws:iam::444455556666:role/exfil";
        for (const service of ["s3", ...INTERFACE_ENDPOINTS]) {
            const r = request(
                { action: "s3:PutObject", principal: { kind: "aws", arn: foreign } },
                { "aws:PrincipalAccount": "444455556666", "aws:ResourceAccount": ACCOUNT },
            );
            assert.equal(verdict(endpointPolicyStatements(service, ACCOUNT, env.region), r), "deny", service);
        }
        const toForeignBucket = request({ action: "s3:PutObject", resource: "arn:aws:s3:::attacker/loot" }, { "aws:ResourceAccount": "444455556666" });
        assert.equal(verdict(endpointPolicyStatements("s3", ACCOUNT, env.region), toForeignBucket), "deny");
    });

    it("without the AWS-owned buckets statement the ECR layer download is blocked (what a restrictive S3 endpoint policy breaks)", () => {
        const layer = FLOW_CALLS["nodes-to-ecr.dkr-endpoint"].find((c) => c.endpoint === "s3")!;
        const statements = endpointPolicyStatements("s3", ACCOUNT, env.region)!;
        assert.equal(verdict(statements, requestOf(layer, { ...env, roleArn })), "allow");
        const without = statements.filter((s) => s.Sid !== "AwsOwnedBucketsTheNodesRead");
        assert.equal(verdict(without, requestOf(layer, { ...env, roleArn })), "deny");
        assert.ok(AWS_OWNED_BUCKETS.some((b) => b.arn("eu-west-2") === "arn:aws:s3:::prod-eu-west-2-starport-layer-bucket/*"));
    });

    it("the documents deny: pods through the gateway pass; the sync role from on-prem passes; replication's own action is untouched", () => {
        const sync = `arn:aws:iam::${ACCOUNT}:role/data-onprem-sync`;
        const policy = [sourceVpceDeny(BUCKET, [GATEWAY], [sync])];
        assert.equal(policy[0].Sid, SOURCE_VPCE_SID);
        assert.equal(verdict(policy, request(), false), "allow");
        const noVpce = (r: IamRequest): IamRequest => ({
            ...r,
            context: Object.fromEntries(Object.entries(r.context).filter(([k]) => k !== "aws:SourceVpce")),
        });
        assert.equal(verdict(policy, noVpce(request({ principal: { kind: "aws", arn: sync } }, { "aws:PrincipalArn": sync })), false), "allow");
        assert.equal(verdict(policy, noVpce(request()), false), "deny");
        const replication = `arn:aws:iam::${ACCOUNT}:role/dr-documents-replication`;
        const replicate = request(
            { action: "s3:GetObjectVersionForReplication", principal: { kind: "aws", arn: replication } },
            { "aws:PrincipalArn": replication },
        );
        assert.equal(verdict(policy, noVpce(replicate), false), "allow");
    });
});
