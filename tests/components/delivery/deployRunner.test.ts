import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { DeployRunner } from "../../../components/delivery/deployRunner";
import { DEPLOY_SERVICES, runnerStatements } from "../../../components/delivery/runnerPolicy";
import { runnerTargets } from "../../../tools/runnerTargets";
import { byUrn, ofType, planComponent, planOf } from "../../support";

const RUNNER = "hybrid:delivery:DeployRunner";

describe("DeployRunner (finding 2: the deployer reaches the private cluster)", () => {
    for (const stack of ["prod", "dr"]) {
        it(`${stack}: a CodeBuild-hosted GitHub Actions runner in the private subnets, taking queued workflow jobs`, async () => {
            const plan = await planOf(stack);
            const project = ofType(plan, "aws:codebuild/project:Project")[0] as { props: Record<string, any> };
            const privateSubnets = plan.outputs.privateSubnetIds as string[];
            assert.deepEqual(project.props.vpcConfig.subnets, privateSubnets);
            assert.equal(project.props.source.type, "GITHUB");
            assert.equal(project.props.concurrentBuildLimit, 1, "one pulumi up at a time");
            const [webhook] = ofType(plan, "aws:codebuild/webhook:Webhook");
            assert.deepEqual(webhook.props.filterGroups, [{ filters: [{ type: "EVENT", pattern: "WORKFLOW_JOB_QUEUED" }] }]);
            const role = ofType(plan, "aws:iam/role:Role").find((r) => r.urn.includes(RUNNER))!;
            const trust = JSON.parse(String(role.props.assumeRolePolicy)).Statement[0];
            assert.equal(trust.Principal.Service, "codebuild.amazonaws.com");
            assert.match(trust.Condition.ArnLike["aws:SourceArn"], new RegExp(`:project/${stack}-deploy-runner$`));
        });

        it(`${stack}: its GitHub source credential is the bootstrap stack's CodeConnections connection (global: one serves both regions)`, async () => {
            const plan = await planOf(stack);
            const project = ofType(plan, "aws:codebuild/project:Project")[0] as { props: Record<string, any>; dependencies: string[] };
            const reference = ofType(plan, "pulumi:pulumi:StackReference").find((r) => r.name === "bootstrap")!;
            const connection = (reference.props.outputs as Record<string, unknown>).githubConnectionArn;
            assert.match(String(connection), /^arn:aws:codeconnections:/);
            assert.deepEqual(project.props.source.auth, { type: "CODECONNECTIONS", resource: connection });
            assert.ok(project.dependencies.includes(reference.urn), "the project waits for (and names) the bootstrap stack");
        });

        it(`${stack}: its security group is admitted to the cluster API on 443 before any Kubernetes object is applied`, async () => {
            const plan = await planOf(stack);
            const sg = ofType(plan, "aws:ec2/securityGroup:SecurityGroup").find((r) => r.urn.includes(RUNNER))!;
            const rule = ofType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").find((r) => r.props.referencedSecurityGroupId === sg.id)!;
            assert.ok(rule, "an ingress rule from the runner's group");
            assert.equal(rule.props.fromPort, 443);
            assert.equal(rule.props.toPort, 443);
            const [cluster] = ofType(plan, "eks:index:Cluster");
            assert.equal(rule.props.securityGroupId, cluster.props.clusterSecurityGroupId);
            const k8s = ofType(plan, "pulumi:providers:kubernetes").find((p) => p.name === "app-eks")!;
            assert.ok(k8s.dependencies.includes(rule.urn), "the Kubernetes provider waits for the rule");
        });

        it(`${stack}: the role may call every AWS service the plan creates resources of`, async () => {
            const plan = await planOf(stack);
            const modules = new Set(plan.resources.filter((r) => r.custom && r.type.startsWith("aws:")).map((r) => r.type.split(":")[1].split("/")[0]));
            for (const module of modules)
                assert.ok(DEPLOY_SERVICES[module], `aws:${module} resources are in the plan but the runner's role cannot create them`);
        });

        for (const mode of ["update", "preview"] as const)
            it(`${stack} (${mode}): phase 1's --target list is the runner and its closed dependency set: the network, not the cluster or the data`, async () => {
                // Preview: the IDs are unknown, so the closure rests on URN dependencies alone (as the engine's does).
                const plan = await planOf(stack, mode);
                const targets = new Set(runnerTargets(plan));
                const index = byUrn(plan);
                assert.ok([...targets].some((urn) => index.get(urn)!.type === "aws:codebuild/webhook:Webhook"));
                for (const type of ["aws:ec2/natGateway:NatGateway", "aws:ec2/route:Route", "aws:ec2/vpnConnection:VpnConnection"]) {
                    const of = ofType(plan, type);
                    assert.ok(of.length > 0 && of.every((r) => targets.has(r.urn)), `every ${type} exists before the runner's first job`);
                }
                for (const urn of targets) {
                    const r = index.get(urn)!;
                    assert.doesNotMatch(r.type, /AppCluster|DataTier|eks:index|rds\//, `${urn} belongs to phase 2`);
                    for (const dep of [...r.dependencies, ...Object.values(r.propertyDependencies).flat(), r.parent ?? ""]) {
                        const d = index.get(dep);
                        if (!d || d.type === "pulumi:pulumi:Stack") continue;
                        assert.ok(targets.has(dep), `${urn} depends on ${dep}, which is not targeted: pulumi up --target would refuse`);
                    }
                }
            });
    }

    it("denies what no deploy needs: IAM users and keys, changing its own role, stopping the trail", () => {
        const statements = runnerStatements({
            accountId: "111122223333",
            regions: ["eu-west-2"],
            roleName: "prod-deploy-runner",
            logGroupArn: "arn:aws:logs:eu-west-2:111122223333:log-group:/x",
            subnetArns: [],
        });
        const denied = statements.filter((s) => s.Effect === "Deny").flatMap((s) => [s.Action].flat());
        for (const action of ["iam:CreateAccessKey", "iam:PutRolePolicy", "cloudtrail:StopLogging", "organizations:*"])
            assert.ok(denied.includes(action), action);
        const deploy = statements.find((s) => s.Sid === "DeployTheStack")!;
        assert.deepEqual(deploy.Condition, { StringEquals: { "aws:RequestedRegion": ["eu-west-2", "us-east-1"] } });
        assert.ok([deploy.Resource].flat().every((r) => r !== "*"));
    });

    it("refuses a repository that is not owner/repo and fewer than two subnets, before registering anything", async () => {
        await assert.rejects(
            planComponent(
                () =>
                    new DeployRunner("runner", {
                        accountId: "111122223333",
                        region: "eu-west-2",
                        vpcId: "vpc-1",
                        privateSubnetIds: ["subnet-a"],
                        githubRepository: "https://github.com/x/y",
                        computeType: "BUILD_GENERAL1_MEDIUM",
                        timeoutMinutes: 240,
                    }),
            ),
            (e: Error) => pulumi.InputPropertiesError.isInstance(e) && /privateSubnetIds/.test(e.message) && /githubRepository/.test(e.message),
        );
    });
});
