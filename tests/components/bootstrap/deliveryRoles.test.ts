/** The delivery roles of the bootstrap stack (issue #14, components/bootstrap/deliveryRoles.ts, githubCi.ts): trust and permissions. */
import * as assert from "node:assert/strict";
import { IMAGES } from "../../../components/app/registries";
import { DELIVERY_IMAGES } from "../../../model/deliveryConfig";
import { MOCK_ACCOUNT_ID, UNKNOWN } from "../../../tools/mocks";
import { Plan } from "../../../tools/offline";
import { ofType, one, planOf } from "../../support";

type Json = Record<string, any>;
const ORG = "example-org";
const REPOSITORY = `${ORG}/hybrid-platform`;
const PROVIDER_ARN = `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`;
const STATE_BUCKET = `arn:aws:s3:::${MOCK_ACCOUNT_ID}-hybrid-platform-state`;
/** The push actions AWS lists for pushing an image (plus the reads a digest check makes), on the repository ARN. */
const PUSH = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:PutImage",
    "ecr:BatchGetImage",
    "ecr:DescribeImages",
];
/** A read-only verb: describe, list, get or batch-get (no Create/Put/Update/Delete/Tag...). */
const READ_VERB = /^[a-z0-9-]+:(Describe|List|Get|BatchGet)[A-Za-z*]*$/;
/** The stacks of the committed Pulumi.bootstrap.yaml (ci.environments): bootstrap's pull requests preview it too (.github/workflows/ci.yml). */
const STACKS = ["bootstrap", "dev", "dr", "prod"];

const trustOf = (plan: Plan, role: string) => JSON.parse(String(one(plan, "aws:iam/role:Role", role).props.assumeRolePolicy));
const policyOf = (plan: Plan, role: string) => JSON.parse(String(one(plan, "aws:iam/rolePolicy:RolePolicy", role).props.policy));
const actions = (s: Json): string[] => [s.Action].flat();

/** The trust every delivery role has: GitHub's provider, web identity, aud and exactly one subject, StringEquals only. */
function assertGithubTrust(plan: Plan, role: string, subject: string) {
    const [statement, ...more] = trustOf(plan, role).Statement;
    assert.deepEqual(more, [], role);
    assert.equal(statement.Effect, "Allow");
    assert.deepEqual(statement.Principal, { Federated: PROVIDER_ARN });
    assert.equal(statement.Action, "sts:AssumeRoleWithWebIdentity");
    assert.deepEqual(statement.Condition, {
        StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": subject },
    });
    const provider = ofType(plan, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")[0];
    assert.ok(one(plan, "aws:iam/role:Role", role).dependencies.includes(provider.urn), `${role} waits for the provider`);
}

/** A read-only policy: read verbs only; objects only of the state; Decrypt only with the state key's alias; never a secret's value. */
function assertReadOnly(policy: Json, role: string) {
    for (const s of policy.Statement) {
        assert.equal(s.Effect, "Allow");
        // kms:Decrypt is the one non-read verb: reading the stacks' secrets needs it (scoped to the state key below).
        for (const a of actions(s).filter((a) => a !== "kms:Decrypt")) assert.match(a, READ_VERB, `${role}: ${a} in ${s.Sid} is not a read`);
    }
    const all = policy.Statement.flatMap(actions);
    assert.ok(!all.includes("secretsmanager:GetSecretValue"), role);
    const byAction = (a: string) => policy.Statement.filter((s: Json) => actions(s).includes(a));
    assert.deepEqual(
        byAction("s3:GetObject").map((s: Json) => s.Resource),
        [`${STATE_BUCKET}/.pulumi/*`],
    );
    assert.deepEqual(
        byAction("s3:ListBucket").map((s: Json) => s.Resource),
        [STATE_BUCKET],
    );
    assert.deepEqual(byAction("kms:Decrypt"), [
        {
            Sid: "DecryptStateSecrets",
            Effect: "Allow",
            Action: "kms:Decrypt",
            // The DR region holds the state (docs/first-deploy.md); the key is found by its alias.
            Resource: `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/*`,
            Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/hybrid-platform/pulumi-state" } },
        },
    ]);
    // What the program's invokes call in every preview.
    for (const a of ["ec2:DescribeAvailabilityZones", "ec2:DescribeManagedPrefixLists", "ec2:GetManagedPrefixListEntries", "route53:ListHostedZones"])
        assert.ok(all.includes(a), `${role} lacks ${a}`);
}

for (const mode of ["update", "preview"] as const) {
    describe(`bootstrap delivery roles (${mode} plan)`, () => {
        let plan: Plan;
        before(async () => {
            plan = await planOf("bootstrap", mode);
        });

        it("has exactly the delivery roles: deploy and preview per stack, image push per app repository, the drill", () => {
            const names = ofType(plan, "aws:iam/role:Role")
                .map((r) => r.props.name as string)
                .filter((n) => /^hybrid-platform-(ci|preview|image-push|drill)/.test(n))
                .sort();
            assert.deepEqual(
                names,
                [
                    ...STACKS.map((s) => `hybrid-platform-ci-${s}`),
                    "hybrid-platform-drill",
                    "hybrid-platform-image-push-celery-worker",
                    "hybrid-platform-image-push-django-web",
                    "hybrid-platform-image-push-fastapi-api",
                    ...STACKS.map((s) => `hybrid-platform-preview-${s}`),
                ].sort(),
            );
            for (const r of ofType(plan, "aws:iam/role:Role").filter((r) => names.includes(String(r.props.name))))
                assert.equal(r.props.maxSessionDuration, 3600);
            // No long-lived keys anywhere in the account's bootstrap.
            assert.deepEqual(ofType(plan, "aws:iam/accessKey:AccessKey"), []);
            assert.deepEqual(ofType(plan, "aws:iam/user:User"), []);
        });

        it("preview roles: only this repository's pull requests, read-only (state, its key, describe/list/get)", () => {
            for (const stack of STACKS) {
                assertGithubTrust(plan, `account-preview-${stack}`, `repo:${REPOSITORY}:pull_request`);
                assertReadOnly(policyOf(plan, `account-preview-${stack}`), `preview-${stack}`);
            }
        });

        it("deploy roles: only the stack's GitHub environment (its protection restricts the branches)", () => {
            for (const stack of STACKS) assertGithubTrust(plan, `account-ci-${stack}`, `repo:${REPOSITORY}:environment:${stack}`);
        });

        it("image push roles: only the app repository's main branch, registry login plus the push actions on its own repository", () => {
            const repos = ofType(plan, "aws:ecr/repository:Repository");
            for (const app of Object.values(IMAGES)) {
                assertGithubTrust(plan, `account-image-push-${app}`, `repo:${ORG}/${app}:ref:refs/heads/main`);
                const role = one(plan, "aws:iam/rolePolicy:RolePolicy", `account-image-push-${app}`);
                if (mode === "preview") {
                    assert.equal(role.props.policy, UNKNOWN, "the repository ARN is unknown until it exists");
                    continue;
                }
                const own = repos.find((r) => r.props.name === `hybrid-platform/${app}`)!;
                assert.deepEqual(policyOf(plan, `account-image-push-${app}`).Statement, [
                    { Sid: "RegistryLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
                    { Sid: "PushOwnImages", Effect: "Allow", Action: PUSH, Resource: [own.props.arn] },
                ]);
            }
        });

        it("drill role: only the dr-drill environment; the preview's reads plus the preflight's metrics and secret description", () => {
            assertGithubTrust(plan, "account-drill", `repo:${REPOSITORY}:environment:dr-drill`);
            const policy = policyOf(plan, "account-drill");
            assertReadOnly(policy, "drill");
            const preflight = policy.Statement.find((s: Json) => s.Sid === "DrillPreflight");
            assert.deepEqual(preflight, {
                Sid: "DrillPreflight",
                Effect: "Allow",
                Action: ["cloudwatch:GetMetricData", "secretsmanager:DescribeSecret"],
                Resource: "*",
            });
            const preview = policyOf(plan, "account-preview-dr").Statement;
            assert.deepEqual(
                policy.Statement.filter((s: Json) => s.Sid !== "DrillPreflight"),
                preview,
                "what `pulumi preview` of dr needs",
            );
        });

        it("exports previewRoleArns, deployRoleArns (= ciRoleArns), imagePushRoleArns and drillRoleArn", () => {
            const o = plan.outputs as Json;
            if (mode === "preview") {
                assert.equal(o.drillRoleArn, UNKNOWN);
                return;
            }
            const arn = (name: string) => `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${name}`;
            assert.deepEqual(o.previewRoleArns, Object.fromEntries(STACKS.map((s) => [s, arn(`hybrid-platform-preview-${s}`)])));
            assert.deepEqual(o.deployRoleArns, o.ciRoleArns);
            assert.deepEqual(o.deployRoleArns, Object.fromEntries(STACKS.map((s) => [s, arn(`hybrid-platform-ci-${s}`)])));
            assert.deepEqual(Object.keys(o.imagePushRoleArns).sort(), ["celery-worker", "django-web", "fastapi-api"]);
            assert.equal(o.imagePushRoleArns["django-web"], arn("hybrid-platform-image-push-django-web"));
            assert.equal(o.drillRoleArn, arn("hybrid-platform-drill"));
        });
    });
}

describe("delivery images", () => {
    it("the config's image names are the registry's", () => {
        assert.deepEqual([...DELIVERY_IMAGES].sort(), Object.values(IMAGES).sort());
    });
});
