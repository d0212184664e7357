import * as assert from "node:assert/strict";
import { SINGLETON_ANNOTATION } from "../../../components/app/appWorkloads";
import { SINGLETON_ANNOTATION as policyKey } from "../../../policy/availability";
import { evaluatePlan } from "../../../tools/policyRunner";
import { UNKNOWN } from "../../../tools/mocks";
import { Plan, PlannedResource } from "../../../tools/offline";
import { BOOTSTRAP_OUTPUTS, appClusterAlone, configWith, ofType, planOf } from "../../support";

/** AppCluster alone with the prod stack's `app:` section changed as written in the stack file. */
const withApp = (changes: Record<string, unknown>, args: Parameters<typeof appClusterAlone>[0] = {}) =>
    appClusterAlone({ ...args, config: { app: (app) => Object.assign(app, changes) } });

/** What the data tier hands the cluster, as the prod stack exports it (update mode: known values). */
const dataOf = (plan: Plan) => {
    const o = plan.outputs as Record<string, string>;
    return {
        bucketArn: o.documentsBucketArn,
        documentsKey: o.documentsKeyArn,
        secretsKey: o.secretsKeyArn,
        dbSecret: o.databaseSecretArn,
        redisSecret: o.redisAuthSecretArn,
        clientSg: o.dataClientSecurityGroupId,
    };
};

type Json = Record<string, any>;
const props = (r: PlannedResource) => r.props as Json;
const deployments = (plan: Plan) => ofType(plan, "kubernetes:apps/v1:Deployment");
const byK8sName = (plan: Plan, type: string, name: string, provider?: string) =>
    ofType(plan, type).filter((r) => props(r).metadata?.name === name && (provider === undefined || r.provider?.includes(provider)));

describe("AppCluster (prod plan)", () => {
    let plan: Plan;
    before(async () => {
        plan = await planOf("prod");
    });

    it("declares the EKS cluster: pinned version, private endpoint only, API access entries, all control-plane logs, CMK envelope encryption, OIDC", () => {
        const [cluster] = ofType(plan, "eks:index:Cluster");
        const p = props(cluster);
        assert.equal(p.version, "1.35");
        assert.equal(p.skipDefaultNodeGroup, true);
        assert.equal(p.authenticationMode, "API");
        assert.deepEqual(Object.keys(p.accessEntries).sort(), ["ciDeployer", "operators"]);
        assert.deepEqual(p.accessEntries.operators.kubernetesGroups, ["portal-operators"]);
        assert.deepEqual([...p.enabledClusterLogTypes].sort(), ["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        assert.equal(p.endpointPrivateAccess, true);
        assert.equal(p.endpointPublicAccess, false);
        assert.equal(p.createOidcProvider, true);
        assert.equal(p.vpcCniOptions.enableNetworkPolicy, true);
        const keyArns = ofType(plan, "aws:kms/key:Key").map((k) => props(k).arn);
        assert.ok(keyArns.includes(p.encryptionConfigKeyArn), "secrets encrypted with a CMK of this stack");
        const privateSubnets = ofType(plan, "aws:ec2/subnet:Subnet")
            .filter((s) => s.name.includes("private"))
            .map((s) => s.id);
        assert.deepEqual([...p.privateSubnetIds].sort(), [...privateSubnets].sort());
    });

    it("limits a public endpoint to configured CIDRs when some are given", async () => {
        const open = await withApp({ endpointPublicAccessCidrs: ["198.51.100.0/24"] });
        const p = props(ofType(open, "eks:index:Cluster")[0]);
        assert.equal(p.endpointPublicAccess, true);
        assert.deepEqual(p.publicAccessCidrs, ["198.51.100.0/24"]);
    });

    it("runs one managed node group per AZ, each in its AZ's private subnet, sized by the capacity model", () => {
        const groups = ofType(plan, "aws:eks/nodeGroup:NodeGroup");
        assert.equal(groups.length, 3);
        const subnets = new Map(ofType(plan, "aws:ec2/subnet:Subnet").map((s) => [s.id, props(s)]));
        const azs = groups.map((g) => {
            assert.equal(props(g).subnetIds.length, 1);
            const subnet = subnets.get(props(g).subnetIds[0])!;
            assert.equal(subnet.mapPublicIpOnLaunch ?? false, false);
            assert.ok(
                ofType(plan, "aws:ec2/subnet:Subnet")
                    .find((s) => s.id === props(g).subnetIds[0])!
                    .name.includes("private"),
            );
            assert.deepEqual(props(g).instanceTypes, ["m5.xlarge"]);
            assert.deepEqual(props(g).scalingConfig, { minSize: 3, desiredSize: 3, maxSize: 21 });
            return subnet.availabilityZone;
        });
        assert.equal(new Set(azs).size, 3);
    });

    it("launches nodes from a template with IMDSv2 required, an encrypted gp3 root on a CMK, the cluster and data-client SGs", () => {
        const [lt] = ofType(plan, "aws:ec2/launchTemplate:LaunchTemplate");
        const p = props(lt);
        assert.equal(p.metadataOptions.httpTokens, "required");
        assert.equal(p.metadataOptions.httpPutResponseHopLimit, 1);
        const ebs = p.blockDeviceMappings[0].ebs;
        assert.equal(ebs.volumeType, "gp3");
        assert.equal(String(ebs.encrypted), "true");
        const volumeKey = ofType(plan, "aws:kms/key:Key").find((k) => props(k).arn === ebs.kmsKeyId)!;
        assert.ok(volumeKey, "root volume key is a CMK of this stack");
        const policy = JSON.parse(props(volumeKey).policy);
        const slr = policy.Statement.filter((s: Json) =>
            String(s.Principal?.AWS).endsWith("role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"),
        );
        assert.ok(slr.some((s: Json) => [s.Action].flat().includes("kms:CreateGrant") && s.Condition?.Bool?.["kms:GrantIsForAWSResource"] === true));
        assert.ok(slr.some((s: Json) => [s.Action].flat().includes("kms:GenerateDataKey*")));
        const clusterSg = props(ofType(plan, "eks:index:Cluster")[0]).clusterSecurityGroupId;
        assert.deepEqual(p.vpcSecurityGroupIds, [clusterSg, dataOf(plan).clientSg]);
        for (const g of ofType(plan, "aws:eks/nodeGroup:NodeGroup")) assert.equal(props(g).launchTemplate.id, lt.id);
    });

    it("deploys django-web, fastapi-api, celery-worker and a singleton celery-beat, images from the bootstrap ECR by digest, restricted security context", () => {
        // The repositories are the account's bootstrap stack's (this region's), read through its StackReference.
        assert.deepEqual(ofType(plan, "aws:ecr/repository:Repository"), [], "no repository of its own");
        const repos = BOOTSTRAP_OUTPUTS.ecrRepositoryUrls["eu-west-2"] as Record<string, string>;
        const digests = JSON.parse(configWith("prod", {})["hybrid-platform:app"]).images;
        const names = deployments(plan)
            .map((d) => props(d).metadata.name)
            .sort();
        assert.deepEqual(names, ["celery-beat", "celery-worker", "django-web", "fastapi-api"]);
        for (const d of deployments(plan)) {
            const spec = props(d).spec;
            const pod = spec.template.spec;
            const [c] = pod.containers;
            const image = props(d).metadata.name === "celery-beat" ? "celery-worker" : props(d).metadata.name;
            const key = { "django-web": "djangoWeb", "fastapi-api": "fastapiApi", "celery-worker": "celeryWorker" }[image as string]!;
            assert.equal(c.image, `${repos[image]}@${digests[key].digest}`);
            assert.ok(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.cpu && c.resources.limits.memory);
            assert.ok(c.livenessProbe && c.readinessProbe);
            assert.equal(pod.securityContext.runAsNonRoot, true);
            assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault");
            assert.equal(c.securityContext.readOnlyRootFilesystem, true);
            assert.equal(c.securityContext.allowPrivilegeEscalation, false);
            assert.deepEqual(c.securityContext.capabilities.drop, ["ALL"]);
            assert.ok(!(c.env ?? []).some((e: Json) => /PASSWORD|SECRET|TOKEN/i.test(e.name) && e.value), "no secret literals in env");
            assert.ok(
                pod.volumes.some((v: Json) => v.csi?.driver === "secrets-store.csi.k8s.io"),
                "secrets from Secrets Manager via the CSI driver",
            );
            const zone = pod.topologySpreadConstraints.find((t: Json) => t.topologyKey === "topology.kubernetes.io/zone");
            assert.equal(zone.whenUnsatisfiable, "DoNotSchedule");
        }
        const beat = props(byK8sName(plan, "kubernetes:apps/v1:Deployment", "celery-beat")[0]).spec;
        assert.equal(beat.replicas, 1);
        assert.equal(beat.strategy.type, "Recreate", "never two schedulers, not even during a rollout");
    });

    it("scales web/api/worker with HPAs on CPU and memory: min from today's users, max from the 5-year target", () => {
        const expected: Record<string, [number, number]> = { "django-web": [10, 100], "fastapi-api": [10, 100], "celery-worker": [4, 40] };
        const hpas = ofType(plan, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
        assert.deepEqual(hpas.map((h) => props(h).metadata.name).sort(), Object.keys(expected).sort());
        for (const h of hpas) {
            const spec = props(h).spec;
            assert.deepEqual([spec.minReplicas, spec.maxReplicas], expected[props(h).metadata.name]);
            assert.equal(spec.scaleTargetRef.name, props(h).metadata.name);
            assert.deepEqual(spec.metrics.map((m: Json) => m.resource.name).sort(), ["cpu", "memory"]);
        }
    });

    it("gives every Deployment a PDB and a ServiceAccount bound to its own IRSA role", () => {
        const irsa = new Map(ofType(plan, "aws:iam/role:Role").map((r) => [props(r).arn, props(r)]));
        for (const d of deployments(plan)) {
            const name = props(d).metadata.name;
            assert.equal(byK8sName(plan, "kubernetes:policy/v1:PodDisruptionBudget", name).length, 1, name);
            const [sa] = byK8sName(plan, "kubernetes:core/v1:ServiceAccount", name);
            const roleArn = props(sa).metadata.annotations["eks.amazonaws.com/role-arn"];
            const trust = JSON.parse(irsa.get(roleArn)!.assumeRolePolicy);
            const cond = trust.Statement[0].Condition.StringEquals;
            assert.equal(Object.entries(cond).find(([k]) => k.endsWith(":sub"))![1], `system:serviceaccount:citizen-portal:${name}`);
            assert.equal(props(d).spec.template.spec.serviceAccountName, name);
        }
    });

    it("scopes IRSA policies to named ARNs: documents bucket and key, the DB and Redis secrets, nothing else", () => {
        const KNOWN = dataOf(plan);
        const policies = ofType(plan, "aws:iam/rolePolicy:RolePolicy").filter((p) => /irsa-(django-web|fastapi-api|celery-worker|celery-beat)$/.test(p.name));
        assert.equal(policies.length, 4);
        for (const p of policies) {
            const statements = JSON.parse(props(p).policy).Statement as Json[];
            const resources = statements.flatMap((s) => [s.Resource].flat());
            assert.ok(!resources.includes("*"), `${p.name}: no wildcard resource`);
            for (const r of resources)
                assert.ok(
                    [KNOWN.bucketArn, `${KNOWN.bucketArn}/*`, KNOWN.documentsKey, KNOWN.secretsKey, KNOWN.dbSecret, KNOWN.redisSecret].includes(r),
                    `${p.name}: ${r}`,
                );
            assert.ok(resources.includes(KNOWN.dbSecret) && resources.includes(KNOWN.redisSecret));
            const actions = statements.flatMap((s) => [s.Action].flat());
            assert.ok(!actions.some((a) => a.endsWith(":*") || a === "*"));
            assert.equal(resources.includes(KNOWN.bucketArn), !p.name.endsWith("celery-beat"), `${p.name}: only beat goes without documents`);
        }
    });

    it("mounts the DB and Redis secrets from Secrets Manager through a SecretProviderClass (no Kubernetes Secret copies)", () => {
        const KNOWN = dataOf(plan);
        const [spc] = ofType(plan, "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass");
        const spec = props(spc).spec;
        assert.equal(spec.provider, "aws");
        assert.equal(spec.parameters.region, "eu-west-2");
        assert.deepEqual(
            JSON.parse(spec.parameters.objects).map((o: Json) => [o.objectName, o.objectAlias]),
            [
                [KNOWN.dbSecret, "database"],
                [KNOWN.redisSecret, "redis"],
            ],
        );
        assert.equal(spec.secretObjects, undefined);
        const csi = props(ofType(plan, "kubernetes:helm.sh/v3:Release").find((r) => props(r).chart === "secrets-store-csi-driver")!);
        assert.equal(csi.values.syncSecret.enabled, false);
    });

    it("denies by default and allows only ALB -> web/api, app -> DB/Redis and DNS", () => {
        const nps = ofType(plan, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map(props);
        const deny = nps.find((n) => n.metadata.name === "default-deny")!;
        assert.deepEqual(deny.spec.podSelector, {});
        assert.deepEqual([...deny.spec.policyTypes].sort(), ["Egress", "Ingress"]);
        assert.equal(deny.spec.ingress, undefined);
        const publicCidrs = ofType(plan, "aws:ec2/subnet:Subnet")
            .filter((s) => s.name.includes("public"))
            .map((s) => props(s).cidrBlock)
            .sort();
        for (const [app, port] of [
            ["django-web", 8000],
            ["fastapi-api", 8080],
        ] as const) {
            const np = nps.find((n) => n.metadata.name === `allow-ingress-to-${app}`)!;
            assert.deepEqual(np.spec.podSelector.matchLabels, { app });
            assert.deepEqual(np.spec.ingress[0].from.map((f: Json) => f.ipBlock.cidr).sort(), publicCidrs);
            assert.deepEqual(np.spec.ingress[0].ports, [{ protocol: "TCP", port }]);
        }
        const data = nps.find((n) => n.metadata.name === "allow-app-to-data")!;
        assert.deepEqual(data.spec.egress[0].ports.map((p: Json) => p.port).sort(), [5432, 6379]);
        const isolated = ofType(plan, "aws:ec2/subnet:Subnet")
            .filter((s) => s.name.includes("isolated"))
            .map((s) => props(s).cidrBlock)
            .sort();
        assert.deepEqual(data.spec.egress[0].to.map((t: Json) => t.ipBlock.cidr).sort(), isolated);
        assert.ok(nps.some((n) => n.metadata.name === "allow-dns" && n.spec.egress[0].ports.some((p: Json) => p.port === 53)));
        assert.ok(!nps.some((n) => n.metadata.name.startsWith("allow-ingress-to-celery")), "workers accept no connections");
    });

    it("grants read-only operators and a namespaced CI deployer through RBAC", () => {
        const ro = props(ofType(plan, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole")[0]);
        const verbs = ro.rules.flatMap((r: Json) => r.verbs);
        assert.ok(verbs.every((v: string) => ["get", "list", "watch"].includes(v)));
        assert.ok(!ro.rules.some((r: Json) => r.resources.includes("secrets")));
        const deployer = props(ofType(plan, "kubernetes:rbac.authorization.k8s.io/v1:Role")[0]);
        assert.equal(deployer.metadata.namespace, "citizen-portal");
        assert.ok(!deployer.rules.some((r: Json) => r.resources.includes("secrets") || r.resources.includes("roles")));
        const binding = props(ofType(plan, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding")[0]);
        assert.equal(binding.subjects[0].name, "portal-deployers");
    });

    it("fronts the cluster with an internet-facing ALB: HTTPS only with TLS 1.3, HTTP redirected, access logs, WAF attached", () => {
        const [alb] = ofType(plan, "aws:lb/loadBalancer:LoadBalancer");
        const p = props(alb);
        assert.equal(p.internal, false);
        assert.equal(p.dropInvalidHeaderFields, true);
        assert.equal(p.enableDeletionProtection, true);
        // ALB log delivery cannot use KMS: the ALB logs to its own bucket with a reasoned SSE-S3 opt-out.
        const logBucket = ofType(plan, "aws:s3/bucket:Bucket").find((b) => b.name === "app-alb-logs")!;
        assert.deepEqual(p.accessLogs, { bucket: logBucket.props.bucket, prefix: "alb", enabled: true });
        assert.equal((logBucket.props.tags as Record<string, string>)["hybrid-platform/sse-s3-reason"], "ALB access log delivery supports SSE-S3 only");
        const delivery = JSON.parse(
            ofType(plan, "aws:s3/bucketPolicy:BucketPolicy").find((b) => b.name === "app-alb-logs")!.props.policy as string,
        ).Statement.find((st: { Sid: string }) => st.Sid === "AlbAccessLogDelivery");
        assert.equal(delivery.Principal.AWS, "arn:aws:iam::652711504416:root");
        assert.equal(delivery.Resource, `arn:aws:s3:::${logBucket.props.bucket}/alb/AWSLogs/111122223333/*`);
        const publicSubnets = ofType(plan, "aws:ec2/subnet:Subnet")
            .filter((s) => s.name.includes("public"))
            .map((s) => s.id)
            .sort();
        assert.deepEqual([...p.subnets].sort(), publicSubnets);
        const listeners = ofType(plan, "aws:lb/listener:Listener").map(props);
        const https = listeners.find((l) => l.port === 443)!;
        assert.equal(https.protocol, "HTTPS");
        assert.equal(https.sslPolicy, "ELBSecurityPolicy-TLS13-1-3-2021-06");
        assert.match(https.certificateArn, /^arn:aws:acm:eu-west-2:/);
        const http = listeners.find((l) => l.port === 80)!;
        assert.deepEqual(
            http.defaultActions.map((a: Json) => a.type),
            ["redirect"],
        );
        assert.equal(http.defaultActions[0].redirect.protocol, "HTTPS");
        const [acl] = ofType(plan, "aws:wafv2/webAcl:WebAcl");
        const rules = props(acl).rules as Json[];
        const groups = rules
            .map((r) => r.statement.managedRuleGroupStatement?.name)
            .filter(Boolean)
            .sort();
        assert.deepEqual(groups, [
            "AWSManagedRulesAmazonIpReputationList",
            "AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesKnownBadInputsRuleSet",
            "AWSManagedRulesSQLiRuleSet",
        ]);
        const rate = rules.find((r) => r.statement.rateBasedStatement)!;
        assert.equal(rate.statement.rateBasedStatement.limit, 2000);
        assert.deepEqual(rate.action, { block: {} });
        const [assoc] = ofType(plan, "aws:wafv2/webAclAssociation:WebAclAssociation");
        assert.equal(props(assoc).resourceArn, p.arn);
        assert.equal(props(assoc).webAclArn, props(acl).arn);
    });

    it("binds the web/api Services to the ALB's ip target groups and installs the pinned controllers", () => {
        const tgs = new Map(ofType(plan, "aws:lb/targetGroup:TargetGroup").map((t) => [props(t).arn, props(t)]));
        const bindings = ofType(plan, "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding").map(props);
        assert.deepEqual(bindings.map((b) => b.spec.serviceRef.name).sort(), ["django-web", "fastapi-api"]);
        for (const b of bindings) {
            assert.equal(tgs.get(b.spec.targetGroupARN)?.targetType, "ip");
            assert.equal(b.spec.serviceRef.port, tgs.get(b.spec.targetGroupARN)?.port);
        }
        const releases = ofType(plan, "kubernetes:helm.sh/v3:Release").map(props);
        assert.ok(releases.every((r) => /^\d+\.\d+\.\d+$/.test(r.version) && r.repositoryOpts.repo.startsWith("https://")));
        assert.ok(releases.some((r) => r.chart === "aws-load-balancer-controller"));
        const lbc = releases.find((r) => r.chart === "aws-load-balancer-controller")!;
        const lbcRole = ofType(plan, "aws:iam/role:Role").find((r) => props(r).arn === lbc.values.serviceAccount.annotations["eks.amazonaws.com/role-arn"])!;
        const lbcPolicy = JSON.parse(props(ofType(plan, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === lbcRole.name)!).policy);
        const register = lbcPolicy.Statement.find((s: Json) => s.Sid === "RegisterTargets");
        assert.deepEqual([...register.Resource].sort(), [...tgs.keys()].sort(), "the controller registers targets only in this stack's target groups");
    });

    it("lets only the stack's GitHub OIDC CI role (from the bootstrap stack) assume the ci-deployer role, not the account root", () => {
        const deployer = ofType(plan, "aws:iam/role:Role").find((r) => r.name === "app-ci-deployer")!;
        const trust = JSON.parse(props(deployer).assumeRolePolicy);
        assert.deepEqual(
            trust.Statement.map((s: Json) => s.Principal.AWS),
            [BOOTSTRAP_OUTPUTS.ciRoleArns.prod],
        );
        const [cluster] = ofType(plan, "eks:index:Cluster");
        assert.ok(props(cluster).accessEntries.ciDeployer.principalArn === props(deployer).arn);
    });

    it("exports the agreed AppCluster outputs", () => {
        for (const key of ["clusterName", "albDnsName", "albZoneId", "albArn", "publicHostname", "ecrRepositoryUrls"]) assert.ok(plan.outputs[key], key);
        assert.equal(plan.outputs.albDnsName, props(ofType(plan, "aws:lb/loadBalancer:LoadBalancer")[0]).dnsName);
        assert.equal(plan.outputs.publicHostname, "portal.citizen-portal.example.gov.uk");
    });
});

describe("AppCluster joins in preview (unknown IDs)", () => {
    it("WAF association, node groups and target group bindings are joined by URN dependencies", async () => {
        const preview = await planOf("prod", "preview");
        const [assoc] = ofType(preview, "aws:wafv2/webAclAssociation:WebAclAssociation");
        assert.equal(props(assoc).resourceArn, UNKNOWN);
        const [alb] = ofType(preview, "aws:lb/loadBalancer:LoadBalancer");
        const [acl] = ofType(preview, "aws:wafv2/webAcl:WebAcl");
        assert.deepEqual(assoc.propertyDependencies.resourceArn, [alb.urn]);
        assert.deepEqual(assoc.propertyDependencies.webAclArn, [acl.urn]);
        const [cluster] = ofType(preview, "eks:index:Cluster");
        for (const g of ofType(preview, "aws:eks/nodeGroup:NodeGroup")) assert.ok(g.propertyDependencies.clusterName.includes(cluster.urn));
        const tgUrns = ofType(preview, "aws:lb/targetGroup:TargetGroup").map((t) => t.urn);
        for (const b of ofType(preview, "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding")) {
            assert.ok(b.propertyDependencies.spec.some((u) => tgUrns.includes(u)));
        }
    });
});

describe("AppCluster release strategy", () => {
    it("canary in prod: a candidate track behind the same listener takes canaryWeight % of requests", async () => {
        const plan = await withApp({ release: { strategy: "canary", canaryWeight: 20, candidate: { djangoWeb: { tag: "1.1.0" } } } });
        const candidate = byK8sName(plan, "kubernetes:apps/v1:Deployment", "django-web-candidate");
        assert.equal(candidate.length, 1);
        assert.match(props(candidate[0]).spec.template.spec.containers[0].image, /\.dkr\.ecr\.eu-west-2\.amazonaws\.com\/hybrid-platform\/django-web:1\.1\.0$/);
        const https = ofType(plan, "aws:lb/listener:Listener")
            .map(props)
            .find((l) => l.port === 443)!;
        const weights = https.defaultActions[0].forward.targetGroups.map((t: Json) => t.weight);
        assert.deepEqual(weights, [80, 20]);
        // the candidate runs at the canary share of stable: ceil(10 * 20 %) = 2
        assert.equal(props(byK8sName(plan, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "django-web-candidate")[0]).spec.minReplicas, 2);
        assert.equal(byK8sName(plan, "kubernetes:apps/v1:Deployment", "fastapi-api-candidate").length, 0, "no candidate without a candidate image");
    });

    it("blueGreen: the candidate runs at full size and takes all traffic only once promoted", async () => {
        const variant = (promote: boolean) =>
            withApp({ release: { strategy: "blueGreen", promote, candidate: { fastapiApi: { digest: `sha256:${"a".repeat(64)}` } } } });
        for (const promote of [false, true]) {
            const plan = await variant(promote);
            const rule = props(ofType(plan, "aws:lb/listenerRule:ListenerRule")[0]);
            assert.deepEqual(
                rule.actions[0].forward.targetGroups.map((t: Json) => t.weight),
                promote ? [0, 100] : [100, 0],
            );
            const hpa = props(byK8sName(plan, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "fastapi-api-candidate")[0]).spec;
            assert.equal(hpa.minReplicas, 10);
            assert.match(
                props(byK8sName(plan, "kubernetes:apps/v1:Deployment", "fastapi-api-candidate")[0]).spec.template.spec.containers[0].image,
                /@sha256:a{64}$/,
            );
        }
    });

    it("rolling outside production: one track, RollingUpdate with no unavailable pods", async () => {
        const plan = await withApp({ release: {} }, { args: { environment: "staging" } });
        assert.equal(ofType(plan, "aws:lb/targetGroup:TargetGroup").length, 2);
        const web = props(byK8sName(plan, "kubernetes:apps/v1:Deployment", "django-web")[0]).spec.strategy;
        assert.deepEqual(web, { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } });
        assert.equal(props(ofType(plan, "aws:lb/loadBalancer:LoadBalancer")[0]).enableDeletionProtection, false);
    });
});

describe("AppCluster on-prem", () => {
    let plan: Plan;
    before(async () => {
        plan = await withApp(
            {
                onPrem: {
                    ingressClassName: "openshift-default",
                    ingressNamespace: "openshift-ingress",
                    registryMirror: "harbor.dc1.example.gov.uk/portal",
                    distribution: "openshift",
                },
            },
            // The builder passes the onPremKubeconfig config key on as the prod stack does: a secret.
            { keys: { "hybrid-platform:onPremKubeconfig": "offline-secret:hybrid-platform:onPremKubeconfig" } },
        );
    });

    it("deploys the same workloads a second time through the on-prem provider", () => {
        const providers = ofType(plan, "pulumi:providers:kubernetes");
        const onPrem = providers.find((p) => p.name.endsWith("onprem"))!;
        assert.ok(onPrem);
        const onPremDeployments = deployments(plan).filter((d) => d.provider?.startsWith(onPrem.urn));
        const eksDeployments = deployments(plan).filter((d) => !d.provider?.startsWith(onPrem.urn));
        assert.deepEqual(onPremDeployments.map((d) => props(d).metadata.name).sort(), eksDeployments.map((d) => props(d).metadata.name).sort());
        assert.equal(onPremDeployments.length, 4);
        const onPremHpas = ofType(plan, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").filter((h) => h.provider?.startsWith(onPrem.urn));
        assert.equal(onPremHpas.length, 3);
        // 6, and issue #12's three for the mesh (HBONE both ends of django-web -> fastapi-api, kubelet probes).
        // issue #13: and two for the collector (HBONE from it to the metrics ports, from the workloads to its OTLP port).
        assert.equal(ofType(plan, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((n) => n.provider?.startsWith(onPrem.urn)).length, 11);
        // The mesh's STRICT mTLS and generated authorization go to the on-prem cluster too (issue #12).
        const onPremMesh = plan.resources.filter((r) => r.type.startsWith("kubernetes:security.istio.io/v1:") && r.provider?.startsWith(onPrem.urn));
        // issue #13: and the collector's scrapes of the metrics ports.
        assert.deepEqual(onPremMesh.map((r) => props(r).metadata.name).sort(), [
            "allow-nothing",
            "allow-scrape-to-celery-worker",
            "allow-scrape-to-django-web",
            "allow-scrape-to-fastapi-api",
            "allow-to-django-web",
            "allow-to-fastapi-api",
            "default",
        ]);
    });

    it("on-prem: no IRSA, credentials from a pre-provisioned Secret, ingress class from config, no ALB/WAF annotations", () => {
        const onPremUrn = ofType(plan, "pulumi:providers:kubernetes").find((p) => p.name.endsWith("onprem"))!.urn;
        const mine = plan.resources.filter((r) => r.provider?.startsWith(onPremUrn));
        for (const sa of mine.filter((r) => r.type === "kubernetes:core/v1:ServiceAccount")) {
            assert.equal(props(sa).metadata.annotations, undefined);
            assert.deepEqual(props(sa).imagePullSecrets, [{ name: "registry-pull" }]);
        }
        for (const d of mine.filter((r) => r.type === "kubernetes:apps/v1:Deployment")) {
            assert.match(
                props(d).spec.template.spec.containers[0].image,
                /^harbor\.dc1\.example\.gov\.uk\/portal\/hybrid-platform\/(django-web|fastapi-api|celery-worker)@sha256:[0-9a-f]{64}$/,
            );
            assert.equal(props(d).spec.template.spec.securityContext.runAsUser, undefined, "OpenShift assigns the UID");
            const vol = props(d).spec.template.spec.volumes.find((v: Json) => v.name === "runtime-secrets");
            assert.equal(vol.secret.secretName, "portal-runtime");
            assert.equal(vol.csi, undefined);
        }
        assert.equal(mine.filter((r) => r.type.includes("TargetGroupBinding") || r.type.includes("SecretProviderClass")).length, 0);
        const [ingress] = mine.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:Ingress");
        assert.equal(props(ingress).spec.ingressClassName, "openshift-default");
        assert.ok(!Object.keys(props(ingress).metadata.annotations ?? {}).some((k) => k.startsWith("alb.ingress") || k.includes("wafv2")));
        const allow = mine.map(props).find((p) => p.metadata?.name === "allow-ingress-to-django-web")!;
        assert.deepEqual(allow.spec.ingress[0].from, [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "openshift-ingress" } } }]);
        // the kubeconfig reaches the provider only as a secret
        const provider = ofType(plan, "pulumi:providers:kubernetes").find((p) => p.name.endsWith("onprem"))!;
        assert.ok(!JSON.stringify(provider.props).includes("offline-secret:"));
    });
});

describe("AppCluster and the policy pack", () => {
    it("declares celery-beat's single replica with the annotation the availability policy reads", async () => {
        assert.equal(SINGLETON_ANNOTATION, policyKey);
        const plan = await planOf("prod");
        const beat = plan.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && (r.props.metadata as { name: string }).name === "celery-beat")!;
        assert.equal((beat.props.spec as { replicas: number }).replicas, 1);
        assert.ok(((beat.props.metadata as { annotations: Record<string, string> }).annotations[policyKey] ?? "").length >= 15);
        const violations = (await evaluatePlan(plan)).filter((v) => v.policy === "prod-workload-availability");
        assert.deepEqual(
            violations.map((v) => [v.enforcementLevel, v.urn === beat.urn]),
            [["advisory", true]],
        );
    });
});

describe("AppCluster TLS certificate", () => {
    for (const mode of ["update", "preview"] as const) {
        it(`issues an ACM certificate for the hostname and validates it by DNS against the bootstrap stack's record (${mode})`, async () => {
            const plan = await planOf("prod", mode);
            const [certificate] = ofType(plan, "aws:acm/certificate:Certificate");
            assert.deepEqual([certificate.props.domainName, certificate.props.validationMethod], ["portal.citizen-portal.example.gov.uk", "DNS"]);
            // The record is the bootstrap stack's (components/bootstrap/certificateValidation.ts): the validation waits for it.
            const reference = ofType(plan, "pulumi:pulumi:StackReference").find((r) => r.name === "bootstrap")!;
            const [validation] = ofType(plan, "aws:acm/certificateValidation:CertificateValidation");
            assert.deepEqual(validation.propertyDependencies.validationRecordFqdns, [reference.urn]);
            const https = ofType(plan, "aws:lb/listener:Listener").find((l) => l.name === "app-https")!;
            assert.deepEqual(https.propertyDependencies.certificateArn, [validation.urn], "the listener waits for validation");
        });
    }

    it("uses an existing certificate when app.certificateArn is set, issuing none", async () => {
        const existing = "arn:aws:acm:eu-west-2:111122223333:certificate/1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b";
        const plan = await withApp({ certificateArn: existing });
        assert.equal(ofType(plan, "aws:acm/certificate:Certificate").length, 0);
        assert.equal(ofType(plan, "aws:lb/listener:Listener").find((l) => l.name === "app-https")!.props.certificateArn, existing);
    });
});
