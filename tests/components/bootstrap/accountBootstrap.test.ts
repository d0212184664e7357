/** The bootstrap stack (stacks/bootstrap.ts, components/bootstrap/*): what one account needs before prod and dr. */
import * as assert from "node:assert/strict";
import { AccountBootstrap, AccountBootstrapArgs } from "../../../components/bootstrap/accountBootstrap";
import { loadBootstrapConfig } from "../../../model/bootstrapConfig";
import { MOCK_ACCOUNT_ID, UNKNOWN } from "../../../tools/mocks";
import { Plan, PlannedResource } from "../../../tools/offline";
import { configErrorOf, configWith, ofType, one, planComponent, planOf } from "../../support";
import { assertRejectsArgs } from "../../support/args";

type Json = Record<string, any>;
const props = (r: PlannedResource) => r.props as Json;
const REPOSITORY = "example-org/hybrid-platform";

const ARGS: AccountBootstrapArgs = {
    accountId: MOCK_ACCOUNT_ID,
    region: "eu-west-2",
    replicaRegions: ["eu-west-1"],
    githubRepository: REPOSITORY,
    ciEnvironments: ["prod", "dr"],
};

for (const mode of ["update", "preview"] as const) {
    describe(`bootstrap stack (${mode} plan)`, () => {
        let plan: Plan;
        before(async () => {
            plan = await planOf("bootstrap", mode);
        });

        it("declares the service-linked roles prod and dr name (EC2 Auto Scaling, OpenSearch) once, for the account", () => {
            const roles = ofType(plan, "aws:iam/serviceLinkedRole:ServiceLinkedRole").map((r) => props(r).awsServiceName);
            assert.deepEqual(roles.sort(), ["autoscaling.amazonaws.com", "opensearchservice.amazonaws.com"]);
        });

        it("creates the repositories (immutable, scanned, KMS) in the home region and replicates them to the DR region with a KMS creation template", () => {
            const repos = ofType(plan, "aws:ecr/repository:Repository");
            assert.deepEqual(repos.map((r) => props(r).name).sort(), [
                "hybrid-platform/celery-worker",
                "hybrid-platform/django-web",
                "hybrid-platform/fastapi-api",
            ]);
            for (const r of repos) {
                assert.equal(props(r).imageTagMutability, "IMMUTABLE");
                assert.equal(props(r).imageScanningConfiguration.scanOnPush, true);
                assert.equal(props(r).encryptionConfigurations[0].encryptionType, "KMS");
                assert.ok(r.propertyDependencies.encryptionConfigurations.length > 0, "encrypted with the stack's CMK");
            }
            assert.equal(ofType(plan, "aws:ecr/lifecyclePolicy:LifecyclePolicy").length, 3);

            const [replication] = ofType(plan, "aws:ecr/replicationConfiguration:ReplicationConfiguration");
            const [rule] = props(replication).replicationConfiguration.rules;
            assert.deepEqual(
                rule.destinations.map((d: Json) => d.region),
                ["eu-west-1"],
            );
            assert.deepEqual(rule.repositoryFilters, [{ filter: "hybrid-platform/", filterType: "PREFIX_MATCH" }]);

            // Without a template ECR would create the replicas with AES256 and mutable tags.
            const template = one(plan, "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate", "account-replicas-eu-west-1");
            const t = props(template);
            assert.equal(t.region, "eu-west-1");
            assert.equal(t.prefix, "hybrid-platform");
            assert.deepEqual(t.appliedFors, ["REPLICATION"]);
            assert.equal(t.imageTagMutability, "IMMUTABLE");
            assert.equal(t.encryptionConfigurations[0].encryptionType, "KMS");
            const keyUrn = template.propertyDependencies.encryptionConfigurations[0];
            const key = plan.resources.find((r) => r.urn === keyUrn)!;
            assert.equal(props(key).region, "eu-west-1", "the replicas' key is in their region");
            assert.ok(replication.dependencies.includes(template.urn), "the template exists before the first replication");

            const role = plan.resources.find((r) => r.urn === template.propertyDependencies.customRoleArn[0])!;
            const trust = JSON.parse(props(role).assumeRolePolicy);
            assert.deepEqual(trust.Statement[0].Principal, { Service: "ecr.amazonaws.com" });
            assert.equal(trust.Statement[0].Condition.StringEquals["aws:SourceAccount"], MOCK_ACCOUNT_ID);
        });

        it("trusts GitHub's OIDC issuer, and each CI role only a job of the configured repository in its own environment (aud and sub pinned)", () => {
            const [provider] = ofType(plan, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
            assert.equal(props(provider).url, "https://token.actions.githubusercontent.com");
            assert.deepEqual(props(provider).clientIdLists, ["sts.amazonaws.com"]);
            for (const stack of ["prod", "dr"]) {
                const role = one(plan, "aws:iam/role:Role", `account-ci-${stack}`);
                // The trust names the provider by the ARN IAM gives it (known in preview too), and waits for it.
                assert.ok(role.dependencies.includes(provider.urn), "created after the provider");
                const [statement, ...more] = JSON.parse(props(role).assumeRolePolicy).Statement;
                assert.deepEqual(more, []);
                assert.deepEqual(statement.Principal, { Federated: `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com` });
                if (mode === "update") assert.equal(statement.Principal.Federated, props(provider).arn, "the provider's own ARN");
                assert.equal(statement.Action, "sts:AssumeRoleWithWebIdentity");
                assert.deepEqual(statement.Condition, {
                    StringEquals: {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                        "token.actions.githubusercontent.com:sub": `repo:${REPOSITORY}:environment:${stack}`,
                    },
                });
                if (mode === "preview") continue; // the repositories' ARNs are unknown until they exist
                const policy = JSON.parse(props(one(plan, "aws:iam/rolePolicy:RolePolicy", `account-ci-${stack}`)).policy);
                const assume = policy.Statement.find((s: Json) => s.Action === "sts:AssumeRole");
                assert.equal(assume.Resource, `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${stack}-eks-ci-deployer`, "only its own stack's deployer");
                const push = policy.Statement.find((s: Json) => [s.Action].flat().includes("ecr:PutImage"));
                assert.deepEqual(
                    [...push.Resource].sort(),
                    ofType(plan, "aws:ecr/repository:Repository")
                        .map((r) => props(r).arn)
                        .sort(),
                );
            }
        });

        it("exports the contract: repositories per region (dr's are the replicas), SLR and CI role ARNs", () => {
            const o = plan.outputs as Json;
            if (mode === "preview") {
                assert.equal(o.autoScalingRoleArn, UNKNOWN);
                return;
            }
            assert.deepEqual(Object.keys(o.ecrRepositoryUrls).sort(), ["eu-west-1", "eu-west-2"]);
            assert.equal(o.ecrRepositoryUrls["eu-west-1"]["django-web"], `${MOCK_ACCOUNT_ID}.dkr.ecr.eu-west-1.amazonaws.com/hybrid-platform/django-web`);
            assert.equal(o.autoScalingRoleArn, `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`);
            assert.deepEqual(Object.keys(o.ciRoleArns).sort(), ["bootstrap", "dev", "dr", "prod"]);
            assert.match(o.githubConnectionArn, /^arn:aws:codeconnections:eu-west-2:/);
        });
    });
}

describe("AccountBootstrap variants and arguments", () => {
    it("only outputs the ARN of a service-linked role the account already has (IAM refuses a second one)", async () => {
        const plan = await planComponent(
            () => {
                const b = new AccountBootstrap("account", { ...ARGS, existingServiceLinkedRoles: ["autoscaling.amazonaws.com"], githubConnection: false });
                assert.equal(b.githubConnectionArn, undefined);
                return { autoScaling: b.autoScalingRoleArn };
            },
            { stack: "bootstrap" },
        );
        assert.deepEqual(
            ofType(plan, "aws:iam/serviceLinkedRole:ServiceLinkedRole").map((r) => props(r).awsServiceName),
            ["opensearchservice.amazonaws.com"],
        );
        assert.equal(plan.outputs.autoScaling, `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`);
        assert.deepEqual(ofType(plan, "aws:codeconnections/connection:Connection"), []);
    });

    it("refuses a replica in the home region, a malformed repository, no CI stack and an unknown service, before registering anything", async () => {
        await assertRejectsArgs(
            () =>
                new AccountBootstrap("account", {
                    ...ARGS,
                    replicaRegions: ["eu-west-2"],
                    githubRepository: "not a repo",
                    ciEnvironments: [],
                    existingServiceLinkedRoles: ["rds.amazonaws.com"],
                }),
            ["replicaRegions", "githubRepository", "ciEnvironments", "existingServiceLinkedRoles[0]"],
            { stack: "bootstrap" },
        );
    });
});

describe("bootstrap stack config (model/bootstrapConfig.ts)", () => {
    const flat = (changes: Record<string, string | undefined>) => configWith("bootstrap", changes);
    const errorOf = (config: Record<string, string>) => configErrorOf(config, loadBootstrapConfig).message;

    it("reads the committed stack file with its defaults", () => {
        const cfg = loadBootstrapConfig(flat({}));
        assert.equal(cfg.ci.githubRepository, REPOSITORY);
        assert.deepEqual(cfg.ci.environments, ["prod", "dr", "dev", "bootstrap"]);
        assert.deepEqual(cfg.serviceLinkedRoles.existing, []);
    });

    it("a misspelt key gets the did-you-mean of prod's and dr's config, and a missing list says so in plain words", () => {
        const registry = JSON.parse(flat({})["hybrid-platform:registry"]) as Record<string, unknown>;
        const misspelt = flat({ "hybrid-platform:registry": JSON.stringify({ replicaRegion: registry.replicaRegions }) });
        assert.equal(
            errorOf(misspelt),
            'invalid config hybrid-platform:registry.replicaRegion: expected a known key (did you mean "replicaRegions"?), got an unknown key',
        );
        assert.equal(
            errorOf(flat({ "hybrid-platform:registry": "{}" })),
            "invalid config hybrid-platform:registry.replicaRegions: expected a list, got nothing",
        );
    });

    it("names the key of the first problem in one line", () => {
        assert.match(
            errorOf(flat({ "hybrid-platform:ci": JSON.stringify({ githubRepository: "owner" }) })),
            /^invalid config hybrid-platform:ci\.githubRepository: expected a GitHub repository/,
        );
        assert.match(
            errorOf(flat({ "hybrid-platform:registry": JSON.stringify({ replicaRegions: ["eu-west-2"] }) })),
            /^invalid config hybrid-platform:registry\.replicaRegions\[0\]: expected a region other than aws:region/,
        );
        assert.match(errorOf(flat({ "hybrid-platform:registy": "{}" })), /hybrid-platform:registy: expected a known key/);
    });
});
