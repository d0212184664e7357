/**
 * The compute layer (seed 1.2, 1.4, 2, 4.1, 5, 7): EKS with one managed node group per AZ sized by the
 * capacity model, the workloads, the ALB + WAF edge, ECR, the release strategy, and the same workloads
 * on the on-prem cluster when one is configured.
 */
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppConfig, OnPremClusterConfig, ReleaseStrategy, imageReference } from "../../model/appConfig";
import { DEFAULT_SIZING, ScalingPlan, pilotLight, scalingPlan } from "../../model/capacity";
import { AppWorkloads, APP_NAMESPACE, DEPLOYER_GROUP, OPERATOR_GROUP, SERVED_PORTS, ServedName, Track, WorkloadName, WorkloadPlatform } from "./appWorkloads";
import { CHARTS } from "../../model/versions";
import { CustomerKey } from "../security/customerKey";
import { SecureBucket } from "../security/secureBucket";
import { DEFAULTS } from "../../model/defaults";

/** What the workloads need from the data tier (DataTier outputs). */
export interface DataAccess {
    /** Security group the DB and Redis security groups admit; attached to every worker node. */
    readonly clientSecurityGroupId: pulumi.Input<string>;
    readonly documentsBucketName: pulumi.Input<string>;
    readonly documentsBucketArn: pulumi.Input<string>;
    /** CMK of the documents bucket (SSE-KMS). */
    readonly documentsKeyArn: pulumi.Input<string>;
    readonly databaseSecretArn: pulumi.Input<string>;
    readonly redisAuthSecretArn: pulumi.Input<string>;
    /** CMKs encrypting those secrets (the runtime role may decrypt with them through Secrets Manager only). Default: none (aws/secretsmanager). */
    readonly secretsKeyArns?: pulumi.Input<string>[];
    /** Database host name, without the port (DATABASE_HOST). */
    readonly databaseHost: pulumi.Input<string>;
    /** Redis configuration endpoint host name, without the port (REDIS_HOST). */
    readonly redisHost: pulumi.Input<string>;
}

export interface AppClusterArgs {
    /** The validated `app:` config section. Required. */
    readonly app: AppConfig;
    /** production enables deletion protection on the ALB and the prod release strategy default. Default "production". */
    readonly environment?: string;
    /** Concurrent users today and at the growth target (capacity model inputs). Required. */
    readonly capacity: { readonly concurrentUsers: number; readonly targetUsers: number };
    /** Public hostname citizens use (TLS certificate subject). Required. */
    readonly hostname: string;
    /** Public Route53 zone holding the hostname, where an issued certificate is validated. Required unless app.certificateArn is set. */
    readonly zoneName?: string;
    readonly region: string;
    readonly vpcId: pulumi.Input<string>;
    /** One private subnet per AZ, in AZ order: nodes and the EKS control-plane ENIs. */
    readonly privateSubnetIds: pulumi.Input<string>[];
    /** Public subnets for the internet-facing ALB. */
    readonly publicSubnetIds: pulumi.Input<string>[];
    /** CIDRs of the public subnets (the ALB's source addresses, admitted to web/api pods). */
    readonly publicSubnetCidrs: string[];
    /** CIDRs of the isolated (data) subnets, for the NetworkPolicy egress to DB/Redis. */
    readonly dataSubnetCidrs: string[];
    /** Data tier access. Required. */
    readonly dataAccess: DataAccess;
    /** Pilot light (DR): every workload and node group at its floor; HPAs and node group maxima stay ready for failover. Default false. */
    readonly pilotLight?: boolean;
    /** Kubeconfig of the on-prem cluster (secret). Deploys the workloads there too when set with `app.onPrem`. Default none. */
    readonly onPremKubeconfig?: pulumi.Input<string>;
    /** Tags for the AWS resources. Default none (provider default tags still apply). */
    readonly tags?: Record<string, string>;
}

const IMAGES = { djangoWeb: "django-web", fastapiApi: "fastapi-api", celeryWorker: "celery-worker" } as const;
type ImageKey = keyof typeof IMAGES;

/** Which AWS data each workload's IRSA role may touch. */
const NEEDS: Record<WorkloadName, { documents: boolean }> = {
    "django-web": { documents: true },
    "fastapi-api": { documents: true },
    "celery-worker": { documents: true },
    "celery-beat": { documents: false },
};

/** Prefix of the ALB's access logs in its log bucket. */
const ALB_LOG_PREFIX = "alb";

export class AppCluster extends pulumi.ComponentResource {
    readonly clusterName: pulumi.Output<string>;
    readonly albDnsName: pulumi.Output<string>;
    readonly albZoneId: pulumi.Output<string>;
    readonly albArn: pulumi.Output<string>;
    /** "app/<name>/<id>": the LoadBalancer dimension of the ALB's CloudWatch metrics. */
    readonly albArnSuffix: pulumi.Output<string>;
    readonly publicHostname: string;
    readonly ecrRepositoryUrls: pulumi.Output<Record<string, string>>;
    readonly webAclArn: pulumi.Output<string>;
    readonly releaseStrategy: ReleaseStrategy;
    readonly scaling: ScalingPlan;
    readonly onPremNamespace?: pulumi.Output<string>;

    constructor(name: string, args: AppClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("hybrid:app:AppCluster", name, {}, opts);
        const app = args.app;
        const production = (args.environment ?? DEFAULTS.environment) === "production";
        const stack = pulumi.getStack();
        const azCount = args.privateSubnetIds.length;
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

        // --- capacity -------------------------------------------------------------------
        const sizing = { ...DEFAULT_SIZING, celeryWorkersPer500Users: app.celeryWorkersPer500Users };
        const planned = scalingPlan(args.capacity.concurrentUsers, args.capacity.targetUsers, app.instanceType, azCount, sizing);
        this.scaling = args.pilotLight ? pilotLight(planned, sizing.minReplicas) : planned;
        this.releaseStrategy = app.release.strategy ?? (production ? "canary" : "rolling");

        // --- keys and registries --------------------------------------------------------
        const secretsKey = new CustomerKey(`${name}-eks-secrets`, { description: `EKS secrets envelope encryption (${stack})`, alias: `${stack}/eks-secrets` }, { parent: this });
        const volumeKey = new CustomerKey(
            `${name}-node-volumes`,
            {
                description: `EKS worker root volumes (${stack})`,
                alias: `${stack}/eks-node-volumes`,
                // Managed node groups launch through EC2 Auto Scaling, whose service-linked role must be named in the key policy.
                roleGrants: [
                    { roleName: "aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling", actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"] },
                    { roleName: "aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling", actions: ["kms:CreateGrant"], condition: { Bool: { "kms:GrantIsForAWSResource": true } } },
                ],
            },
            { parent: this },
        );
        const ecrKey = new CustomerKey(`${name}-ecr`, { description: `ECR images (${stack})`, alias: `${stack}/ecr` }, { parent: this });

        const repositories = Object.fromEntries(
            (Object.keys(IMAGES) as ImageKey[]).map((key) => {
                const repo = new aws.ecr.Repository(
                    `${name}-${IMAGES[key]}`,
                    {
                        name: `${stack}/${IMAGES[key]}`,
                        imageTagMutability: "IMMUTABLE",
                        imageScanningConfiguration: { scanOnPush: true },
                        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: ecrKey.arn }],
                        forceDelete: false,
                        tags: args.tags,
                    },
                    { parent: this },
                );
                new aws.ecr.LifecyclePolicy(
                    `${name}-${IMAGES[key]}`,
                    {
                        repository: repo.name,
                        policy: JSON.stringify({
                            rules: [
                                { rulePriority: 1, description: "untagged layers after 14 days", selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 }, action: { type: "expire" } },
                                { rulePriority: 2, description: "keep the last 50 images (rollback window)", selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 50 }, action: { type: "expire" } },
                            ],
                        }),
                    },
                    { parent: this },
                );
                return [key, repo];
            }),
        ) as Record<ImageKey, aws.ecr.Repository>;
        this.ecrRepositoryUrls = pulumi.all(Object.fromEntries(Object.entries(repositories).map(([k, r]) => [IMAGES[k as ImageKey], r.repositoryUrl]))) as pulumi.Output<Record<string, string>>;
        const imageOf = (key: ImageKey, registry?: string) =>
            registry
                ? pulumi.output(imageReference(`${registry}/${stack}/${IMAGES[key]}`, app.images[key]))
                : repositories[key].repositoryUrl.apply((url) => imageReference(url, app.images[key]));
        const candidateImage = (key: "djangoWeb" | "fastapiApi") => {
            const ref = app.release.candidate?.[key];
            return ref ? repositories[key].repositoryUrl.apply((url) => imageReference(url, ref)) : undefined;
        };

        // --- access: who may use the Kubernetes API -------------------------------------
        const assumableByAccount = account.apply((id) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${id}:root` }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }] }));
        const operatorRole = new aws.iam.Role(`${name}-operators`, { name: `${stack}-eks-operators`, description: "Read-only operators of the portal cluster", assumeRolePolicy: assumableByAccount, maxSessionDuration: 3600, tags: args.tags }, { parent: this });
        const deployerRole = new aws.iam.Role(
            `${name}-ci-deployer`,
            {
                name: `${stack}-eks-ci-deployer`,
                description: "CI image roll-outs in the portal namespace",
                assumeRolePolicy: account.apply((id) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${id}:root` }, Action: "sts:AssumeRole" }] })),
                maxSessionDuration: 3600,
                tags: args.tags,
            },
            { parent: this },
        );

        // --- the cluster ----------------------------------------------------------------
        const cluster = new eks.Cluster(
            `${name}-eks`,
            {
                version: app.kubernetesVersion,
                vpcId: args.vpcId,
                privateSubnetIds: args.privateSubnetIds,
                nodeAssociatePublicIpAddress: false,
                skipDefaultNodeGroup: true,
                skipDefaultSecurityGroups: true,
                authenticationMode: eks.AuthenticationMode.Api,
                accessEntries: {
                    operators: { principalArn: operatorRole.arn, kubernetesGroups: [OPERATOR_GROUP], type: eks.AccessEntryType.Standard },
                    ciDeployer: { principalArn: deployerRole.arn, kubernetesGroups: [DEPLOYER_GROUP], type: eks.AccessEntryType.Standard },
                },
                enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
                encryptionConfigKeyArn: secretsKey.arn,
                endpointPrivateAccess: true,
                endpointPublicAccess: app.endpointPublicAccessCidrs.length > 0,
                publicAccessCidrs: app.endpointPublicAccessCidrs.length > 0 ? app.endpointPublicAccessCidrs : undefined,
                createOidcProvider: true,
                // NetworkPolicies are enforced by the VPC CNI's network policy agent.
                vpcCniOptions: { enableNetworkPolicy: true },
                tags: args.tags,
            },
            { parent: this },
        );
        const clusterName = cluster.eksCluster.name;
        this.clusterName = clusterName;
        const clusterSecurityGroupId = cluster.clusterSecurityGroupId;

        // --- worker nodes: one managed node group per AZ --------------------------------
        const nodeRole = new aws.iam.Role(
            `${name}-nodes`,
            { name: `${stack}-eks-nodes`, assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }), tags: args.tags },
            { parent: this },
        );
        const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"].map(
            (p) => new aws.iam.RolePolicyAttachment(`${name}-nodes-${p}`, { role: nodeRole.name, policyArn: `arn:aws:iam::aws:policy/${p}` }, { parent: this }),
        );
        const launchTemplate = new aws.ec2.LaunchTemplate(
            `${name}-nodes`,
            {
                namePrefix: `${stack}-eks-nodes-`,
                description: "EKS workers: IMDSv2 only, encrypted gp3 root",
                // IMDSv2 only, hop limit 1: pods (one network hop further) cannot reach the node role's credentials; they use IRSA.
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
                blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeType: "gp3", volumeSize: app.nodeVolumeGiB, encrypted: "true", kmsKeyId: volumeKey.arn, deleteOnTermination: "true" } }],
                // With a launch template's security groups EKS adds none itself: the cluster SG (control plane <-> nodes) plus the data-tier client SG.
                vpcSecurityGroupIds: [clusterSecurityGroupId, args.dataAccess.clientSecurityGroupId],
                monitoring: { enabled: true },
                tagSpecifications: [{ resourceType: "instance", tags: { ...(args.tags ?? {}), Name: `${stack}-eks-node` } }, { resourceType: "volume", tags: { ...(args.tags ?? {}) } }],
                updateDefaultVersion: true,
                tags: args.tags,
            },
            { parent: this },
        );
        const nodeGroups = args.privateSubnetIds.map(
            (subnetId, i) =>
                new aws.eks.NodeGroup(
                    `${name}-nodes-az${i + 1}`,
                    {
                        clusterName,
                        nodeGroupName: `${stack}-az${i + 1}`,
                        nodeRoleArn: nodeRole.arn,
                        subnetIds: [subnetId],
                        instanceTypes: [app.instanceType],
                        amiType: "AL2023_x86_64_STANDARD",
                        capacityType: "ON_DEMAND",
                        launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
                        scalingConfig: { minSize: this.scaling.nodesPerAz.min, desiredSize: this.scaling.nodesPerAz.min, maxSize: this.scaling.nodesPerAz.max },
                        updateConfig: { maxUnavailable: 1 },
                        labels: { "portal/az-index": String(i + 1) },
                        tags: args.tags,
                    },
                    // The cluster autoscaler moves desiredSize; Pulumi keeps min and max.
                    { parent: this, dependsOn: nodePolicies, ignoreChanges: ["scalingConfig.desiredSize"] },
                ),
        );

        const provider = new k8s.Provider(`${name}-eks`, { kubeconfig: cluster.kubeconfigJson, enableServerSideApply: true }, { parent: this });
        const onCluster = { parent: this, provider, dependsOn: nodeGroups };

        // --- IRSA -----------------------------------------------------------------------
        const irsaRole = (roleName: string, namespace: string, serviceAccount: string, statements: pulumi.Input<unknown>[]) => {
            const role = new aws.iam.Role(
                `${name}-irsa-${roleName}`,
                {
                    name: `${stack}-irsa-${roleName}`,
                    assumeRolePolicy: pulumi.all([cluster.oidcProviderArn, cluster.oidcIssuer]).apply(([arn, issuer]) =>
                        JSON.stringify({
                            Version: "2012-10-17",
                            Statement: [
                                {
                                    Effect: "Allow",
                                    Principal: { Federated: arn },
                                    Action: "sts:AssumeRoleWithWebIdentity",
                                    Condition: { StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`, [`${issuer}:aud`]: "sts.amazonaws.com" } },
                                },
                            ],
                        }),
                    ),
                    tags: args.tags,
                },
                { parent: this },
            );
            new aws.iam.RolePolicy(`${name}-irsa-${roleName}`, { role: role.id, policy: pulumi.all(statements).apply((s) => JSON.stringify({ Version: "2012-10-17", Statement: s })) }, { parent: this });
            return role;
        };
        const data = args.dataAccess;
        const appStatements = (needs: { documents: boolean }): pulumi.Input<unknown>[] => [
            pulumi.all([data.databaseSecretArn, data.redisAuthSecretArn]).apply(([db, redis]) => ({ Sid: "RuntimeSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [db, redis] })),
            ...((data.secretsKeyArns ?? []).length > 0
                ? [pulumi.all(data.secretsKeyArns!).apply((keys) => ({ Sid: "SecretsKey", Effect: "Allow", Action: ["kms:Decrypt"], Resource: keys, Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com` } } }))]
                : []),
            ...(needs.documents
                ? [
                      pulumi.output(data.documentsBucketArn).apply((b) => ({ Sid: "DocumentsList", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [b] })),
                      pulumi.output(data.documentsBucketArn).apply((b) => ({ Sid: "DocumentsObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: [`${b}/*`] })),
                      pulumi.output(data.documentsKeyArn).apply((k) => ({ Sid: "DocumentsKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [k], Condition: { StringEquals: { "kms:ViaService": `s3.${args.region}.amazonaws.com` } } })),
                  ]
                : []),
        ];
        const workloadRoles = Object.fromEntries((Object.keys(NEEDS) as WorkloadName[]).map((w) => [w, irsaRole(w, APP_NAMESPACE, w, appStatements(NEEDS[w]))])) as Record<WorkloadName, aws.iam.Role>;

        // --- edge: ALB (HTTPS only, TLS 1.3) + WAF ----------------------------------------
        const albSg = new aws.ec2.SecurityGroup(
            `${name}-alb`,
            {
                vpcId: args.vpcId,
                description: "Internet-facing ALB: HTTPS (and HTTP only to redirect) in, app ports to the pods out",
                tags: { ...(args.tags ?? {}), Name: `${stack}-alb` },
            },
            { parent: this },
        );
        // Rules as separate resources (never mixed with inline rules): no default allow-all egress remains.
        for (const [port, why] of [
            [443, "HTTPS from citizens"],
            [80, "HTTP, redirected to HTTPS"],
        ] as const) {
            new aws.vpc.SecurityGroupIngressRule(`${name}-alb-in-${port}`, { securityGroupId: albSg.id, cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: port, toPort: port, description: why }, { parent: this });
        }
        for (const [served, port] of Object.entries(SERVED_PORTS)) {
            new aws.vpc.SecurityGroupEgressRule(`${name}-alb-to-${served}`, { securityGroupId: albSg.id, referencedSecurityGroupId: clusterSecurityGroupId, ipProtocol: "tcp", fromPort: port, toPort: port, description: `ALB to ${served} pods` }, { parent: this });
            new aws.vpc.SecurityGroupIngressRule(`${name}-${served}-from-alb`, { securityGroupId: clusterSecurityGroupId, referencedSecurityGroupId: albSg.id, ipProtocol: "tcp", fromPort: port, toPort: port, description: `${served} pods from the ALB` }, { parent: this });
        }
        const albLogs = this.albAccessLogBucket(name, stack);
        const alb = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                name: `${stack}-portal`.slice(0, 32),
                loadBalancerType: "application",
                internal: false,
                subnets: args.publicSubnetIds,
                securityGroups: [albSg.id],
                dropInvalidHeaderFields: true,
                desyncMitigationMode: "strictest",
                enableDeletionProtection: production,
                idleTimeout: 60,
                accessLogs: { bucket: albLogs.bucketName, prefix: ALB_LOG_PREFIX, enabled: true },
                tags: args.tags,
            },
            { parent: this, dependsOn: [albLogs.policy] },
        );
        const tracks: Track[] = this.releaseStrategy === "rolling" ? ["stable"] : ["stable", ...(app.release.candidate ? (["candidate"] as Track[]) : [])];
        const targetGroups: Partial<Record<`${ServedName}:${Track}`, aws.lb.TargetGroup>> = {};
        for (const served of Object.keys(SERVED_PORTS) as ServedName[]) {
            const key = served === "django-web" ? "djangoWeb" : "fastapiApi";
            for (const track of tracks) {
                if (track === "candidate" && !app.release.candidate?.[key]) continue;
                targetGroups[`${served}:${track}`] = new aws.lb.TargetGroup(
                    `${name}-${served}-${track}`,
                    {
                        namePrefix: served === "django-web" ? "web-" : "api-",
                        targetType: "ip",
                        protocol: "HTTP",
                        port: SERVED_PORTS[served],
                        vpcId: args.vpcId,
                        deregistrationDelay: 30,
                        healthCheck: { path: "/readyz", port: "traffic-port", protocol: "HTTP", matcher: "200", interval: 15, healthyThreshold: 2, unhealthyThreshold: 3 },
                        tags: { ...(args.tags ?? {}), service: served, track },
                    },
                    { parent: this },
                );
            }
        }
        const canaryWeight = app.release.canaryWeight;
        const weights = (served: ServedName) => {
            const stable = targetGroups[`${served}:stable`]!;
            const candidate = targetGroups[`${served}:candidate`];
            if (!candidate) return [{ arn: stable.arn, weight: 100 }];
            const toCandidate = this.releaseStrategy === "canary" ? canaryWeight : app.release.promote ? 100 : 0;
            return [
                { arn: stable.arn, weight: 100 - toCandidate },
                { arn: candidate.arn, weight: toCandidate },
            ];
        };
        const forward = (served: ServedName) => ({ type: "forward", forward: { targetGroups: weights(served), stickiness: { enabled: this.releaseStrategy !== "rolling", duration: 600 } } });
        const https = new aws.lb.Listener(
            `${name}-https`,
            { loadBalancerArn: alb.arn, port: 443, protocol: "HTTPS", sslPolicy: app.tlsPolicy, certificateArn: app.certificateArn ?? this.issueCertificate(name, args), defaultActions: [forward("django-web")], tags: args.tags },
            { parent: this },
        );
        new aws.lb.ListenerRule(`${name}-api`, { listenerArn: https.arn, priority: 10, conditions: [{ pathPattern: { values: ["/api", "/api/*"] } }], actions: [forward("fastapi-api")], tags: args.tags }, { parent: this });
        new aws.lb.Listener(
            `${name}-http-redirect`,
            { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }], tags: args.tags },
            { parent: this },
        );

        const managed = (priority: number, ruleName: string) => ({
            name: ruleName,
            priority,
            overrideAction: { none: {} },
            statement: { managedRuleGroupStatement: { vendorName: "AWS", name: ruleName } },
            visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: ruleName, sampledRequestsEnabled: true },
        });
        const webAcl = new aws.wafv2.WebAcl(
            `${name}-waf`,
            {
                name: `${stack}-portal`,
                description: "Citizen portal edge: SQLi, XSS/common, known bad inputs, IP reputation, per-IP rate limit",
                scope: "REGIONAL",
                defaultAction: { allow: {} },
                rules: [
                    managed(10, "AWSManagedRulesAmazonIpReputationList"),
                    managed(20, "AWSManagedRulesCommonRuleSet"),
                    managed(30, "AWSManagedRulesKnownBadInputsRuleSet"),
                    managed(40, "AWSManagedRulesSQLiRuleSet"),
                    {
                        name: "rate-limit-per-ip",
                        priority: 50,
                        action: { block: {} },
                        statement: { rateBasedStatement: { limit: app.wafRateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
                        visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "rate-limit-per-ip", sampledRequestsEnabled: true },
                    },
                ],
                visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: `${stack}-portal`, sampledRequestsEnabled: true },
                tags: args.tags,
            },
            { parent: this },
        );
        new aws.wafv2.WebAclAssociation(`${name}-waf`, { resourceArn: alb.arn, webAclArn: webAcl.arn }, { parent: this });
        this.albArn = alb.arn;
        this.albArnSuffix = alb.arnSuffix;
        this.albDnsName = alb.dnsName;
        this.albZoneId = alb.zoneId;
        this.webAclArn = webAcl.arn;
        this.publicHostname = args.hostname;

        // --- cluster add-ons (pinned Helm charts) ---------------------------------------
        const lbControllerRole = irsaRole("lb-controller", "kube-system", "aws-load-balancer-controller", [
            // TargetGroupBinding only: register/deregister pod IPs in this stack's target groups. Describe calls have no resource-level permissions.
            pulumi.all(Object.values(targetGroups).map((tg) => tg!.arn)).apply((arns) => ({ Sid: "RegisterTargets", Effect: "Allow", Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], Resource: arns })),
            { Sid: "Describe", Effect: "Allow", Action: ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTags", "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs", "ec2:DescribeAvailabilityZones"], Resource: "*" },
        ]);
        const autoscalerRole = irsaRole("cluster-autoscaler", "kube-system", "cluster-autoscaler", [
            // ASG ARNs are generated by EKS; the tag EKS puts on its node groups' ASGs scopes the writes to this cluster's groups.
            clusterName.apply((cn) => ({ Sid: "ScaleOwnGroups", Effect: "Allow", Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"], Resource: "*", Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${cn}`]: "owned" } } })),
            { Sid: "Describe", Effect: "Allow", Action: ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeLaunchConfigurations", "autoscaling:DescribeScalingActivities", "autoscaling:DescribeTags", "ec2:DescribeLaunchTemplateVersions", "ec2:DescribeInstanceTypes", "ec2:DescribeImages", "ec2:GetInstanceTypesFromInstanceRequirements", "eks:DescribeNodegroup"], Resource: "*" },
        ]);
        const release = (key: keyof typeof CHARTS, namespace: string, values: pulumi.Inputs) =>
            new k8s.helm.v3.Release(
                `${name}-${CHARTS[key].chart}`,
                { name: CHARTS[key].chart, chart: CHARTS[key].chart, version: CHARTS[key].version, repositoryOpts: { repo: CHARTS[key].repo }, namespace, atomic: true, cleanupOnFail: true, values },
                onCluster,
            );
        const lbController = release("lbController", "kube-system", {
            clusterName,
            region: args.region,
            vpcId: args.vpcId,
            replicaCount: 2,
            // Ingress/Service reconciliation is not used: the ALB is declared here; the controller only binds targets.
            enableServiceMutatorWebhook: false,
            serviceAccount: { create: true, name: "aws-load-balancer-controller", annotations: { "eks.amazonaws.com/role-arn": lbControllerRole.arn } },
        });
        const csiDriver = release("secretsStoreCsi", "kube-system", { syncSecret: { enabled: false }, enableSecretRotation: true, rotationPollInterval: "3600s" });
        const csiAws = new k8s.helm.v3.Release(
            `${name}-${CHARTS.secretsStoreAws.chart}`,
            { name: CHARTS.secretsStoreAws.chart, chart: CHARTS.secretsStoreAws.chart, version: CHARTS.secretsStoreAws.version, repositoryOpts: { repo: CHARTS.secretsStoreAws.repo }, namespace: "kube-system", atomic: true, values: { "secrets-store-csi-driver": { install: false } } },
            { ...onCluster, dependsOn: [...nodeGroups, csiDriver] },
        );
        const metricsServer = release("metricsServer", "kube-system", { replicas: 2, podDisruptionBudget: { enabled: true, maxUnavailable: 1 } });
        release("clusterAutoscaler", "kube-system", {
            autoDiscovery: { clusterName },
            awsRegion: args.region,
            extraArgs: { "balance-similar-node-groups": true, "skip-nodes-with-system-pods": false, expander: "least-waste" },
            rbac: { serviceAccount: { create: true, name: "cluster-autoscaler", annotations: { "eks.amazonaws.com/role-arn": autoscalerRole.arn } } },
        });

        const environment = {
            AWS_REGION: args.region,
            DATABASE_HOST: data.databaseHost,
            REDIS_HOST: data.redisHost,
            DOCUMENTS_BUCKET: data.documentsBucketName,
            PUBLIC_HOSTNAME: args.hostname,
        };
        const platformEks: WorkloadPlatform = {
            kind: "eks",
            irsaRoleArns: Object.fromEntries(Object.entries(workloadRoles).map(([w, r]) => [w, r.arn])) as Record<WorkloadName, pulumi.Output<string>>,
            databaseSecretArn: data.databaseSecretArn,
            redisAuthSecretArn: data.redisAuthSecretArn,
            region: args.region,
            albSourceCidrs: args.publicSubnetCidrs,
            targetGroupArns: Object.fromEntries(Object.entries(targetGroups).map(([k, tg]) => [k, tg!.arn])),
        };
        const workloadArgs = {
            scaling: { djangoWeb: this.scaling.djangoWeb, fastapiApi: this.scaling.fastapiApi, celeryWorker: this.scaling.celeryWorker },
            targetCpuPercent: app.targetCpuPercent,
            targetMemoryPercent: app.targetMemoryPercent,
            dataCidrs: args.dataSubnetCidrs,
            environment,
        };
        new AppWorkloads(
            `${name}-workloads`,
            {
                ...workloadArgs,
                platform: platformEks,
                images: { djangoWeb: imageOf("djangoWeb"), fastapiApi: imageOf("fastapiApi"), celeryWorker: imageOf("celeryWorker") },
                candidateImages: { djangoWeb: candidateImage("djangoWeb"), fastapiApi: candidateImage("fastapiApi") },
                strategy: this.releaseStrategy,
                canaryWeight,
                dependsOn: [lbController, csiDriver, csiAws, metricsServer],
            },
            { parent: this, providers: { kubernetes: provider } },
        );

        // --- on-prem: the same workloads through a second Kubernetes provider --------------
        if (app.onPrem && args.onPremKubeconfig !== undefined) {
            const onPrem: OnPremClusterConfig = app.onPrem;
            const onPremProvider = new k8s.Provider(`${name}-onprem`, { kubeconfig: args.onPremKubeconfig, enableServerSideApply: true }, { parent: this });
            const mirror = onPrem.registryMirror;
            const onPremImage = (key: ImageKey) => (mirror ? imageOf(key, mirror) : imageOf(key));
            const workloads = new AppWorkloads(
                `${name}-onprem-workloads`,
                {
                    ...workloadArgs,
                    platform: {
                        kind: "onPrem",
                        runtimeSecretName: onPrem.runtimeSecretName,
                        imagePullSecretName: onPrem.imagePullSecretName,
                        ingressClassName: onPrem.ingressClassName,
                        ingressNamespace: onPrem.ingressNamespace,
                        hostname: onPrem.hostname ?? args.hostname,
                    },
                    images: { djangoWeb: onPremImage("djangoWeb"), fastapiApi: onPremImage("fastapiApi"), celeryWorker: onPremImage("celeryWorker") },
                    // On-prem has no weighted target groups: releases roll there after the cloud canary.
                    strategy: "rolling",
                },
                { parent: this, providers: { kubernetes: onPremProvider } },
            );
            this.onPremNamespace = workloads.namespace;
        }

        this.registerOutputs({
            clusterName: this.clusterName,
            albDnsName: this.albDnsName,
            albZoneId: this.albZoneId,
            albArn: this.albArn,
            ecrRepositoryUrls: this.ecrRepositoryUrls,
            webAclArn: this.webAclArn,
        });
    }

    /**
     * The ALB's own access-log bucket. ALB log delivery writes with SSE-S3 only (it cannot use a
     * KMS key), so this bucket takes SecureBucket's reasoned SSE-S3 opt-out, which the policy pack
     * reports as advisory; everything else (versioning, TLS-only, no public access) stays on.
     */
    private albAccessLogBucket(name: string, stack: string): SecureBucket {
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        // Regions older than August 2022 deliver as the regional ELB account; newer ones as the service principal.
        const elbAccount = aws.elb.getServiceAccountOutput({}, { parent: this }).arn;
        return new SecureBucket(
            `${name}-alb-logs`,
            {
                bucketName: pulumi.interpolate`hybrid-platform-${stack}-alb-logs-${account}`,
                sseS3Reason: "ALB access log delivery supports SSE-S3 only",
                lifecycleRules: [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: 400 }, noncurrentVersionExpiration: { noncurrentDays: 30 } }],
                policyStatements: (bucketArn) =>
                    pulumi.all([account, elbAccount]).apply(([accountId, elbArn]) => [
                        {
                            Sid: "AlbAccessLogDelivery",
                            Effect: "Allow",
                            Principal: { AWS: elbArn, Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
                            Action: "s3:PutObject",
                            Resource: `${bucketArn}/${ALB_LOG_PREFIX}/AWSLogs/${accountId}/*`,
                        },
                    ]),
                protect: false,
            },
            { parent: this },
        );
    }

    /**
     * An ACM certificate for the public hostname, validated by DNS records in the public zone:
     * issued and renewed by ACM with nothing to store or rotate by hand. Returns the ARN once
     * validation has completed, so the listener never serves an unvalidated certificate.
     */
    private issueCertificate(name: string, args: AppClusterArgs): pulumi.Output<string> {
        if (!args.zoneName) throw new Error(`AppCluster ${name}: zoneName is required to issue a certificate (or set app.certificateArn)`);
        const child = { parent: this };
        const zone = aws.route53.getZoneOutput({ name: args.zoneName, privateZone: false }, child);
        const certificate = new aws.acm.Certificate(
            `${name}-tls`,
            { domainName: args.hostname, validationMethod: "DNS", keyAlgorithm: "EC_prime256v1", options: { certificateTransparencyLoggingPreference: "ENABLED" }, tags: args.tags },
            child,
        );
        const record = certificate.domainValidationOptions[0];
        const validation = new aws.route53.Record(
            `${name}-tls-validation`,
            { zoneId: zone.zoneId, name: record.resourceRecordName, type: record.resourceRecordType, records: [record.resourceRecordValue], ttl: 300, allowOverwrite: true },
            child,
        );
        return new aws.acm.CertificateValidation(`${name}-tls`, { certificateArn: certificate.arn, validationRecordFqdns: [validation.fqdn] }, child).certificateArn;
    }
}
