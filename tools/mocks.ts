/**
 * Pulumi mocks that behave like the AWS provider closely enough for policies to join
 * resources: deterministic IDs and ARNs in update mode, and in preview mode unknown IDs
 * and unknown computed attributes, as a real `pulumi preview` shows them.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

/** Pulumi's wire sentinel for an unknown value (what the engine sends the analyzer during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** True when a value is the preview sentinel (a computed output not known before the resource exists). */
export const isUnknown = (v: unknown): boolean => v === UNKNOWN;
export const MOCK_ACCOUNT_ID = "111122223333";

type State = Record<string, unknown>;

interface Context {
    readonly name: string;
    readonly inputs: State;
    readonly id: string;
    readonly arn: string;
    readonly region: string;
}

/** A value as the provider marks a secret output (additionalSecretOutputs), so the SDK and the plan treat it as secret. */
const secretValue = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

const isSecretValue = (value: unknown) =>
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270";

const hex = (text: string, length: number) => createHash("sha256").update(text).digest("hex").slice(0, length);

/**
 * Attributes the provider computes on create, per type token. Everything here becomes
 * unknown in preview mode. Components add their types here as they need them.
 */
export const COMPUTED: Record<string, (c: Context) => State> = {
    "aws:ec2/vpc:Vpc": (c) => ({
        defaultNetworkAclId: `acl-${hex(c.id, 17)}`,
        defaultSecurityGroupId: `sg-${hex(c.id + "sg", 17)}`,
        defaultRouteTableId: `rtb-${hex(c.id, 17)}`,
        mainRouteTableId: `rtb-${hex(c.id, 17)}`,
    }),
    "aws:kms/key:Key": (c) => ({ keyId: c.id, arn: `arn:aws:kms:${c.region}:${MOCK_ACCOUNT_ID}:key/${c.id}` }),
    "aws:kms/alias:Alias": (c) => ({ arn: `arn:aws:kms:${c.region}:${MOCK_ACCOUNT_ID}:${c.inputs.name}` }),
    "aws:cloudwatch/logGroup:LogGroup": (c) => ({ arn: `arn:aws:logs:${c.region}:${MOCK_ACCOUNT_ID}:log-group:${c.inputs.name ?? c.name}` }),
    "aws:iam/role:Role": (c) => ({ arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${c.inputs.name ?? c.name}`, uniqueId: `AROA${hex(c.id, 16).toUpperCase()}` }),
    "aws:iam/policy:Policy": (c) => ({ arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${c.inputs.name ?? c.name}` }),
    // The bootstrap stack's account-level IAM (names as IAM gives them: the service's path and role name, the issuer's host).
    "aws:iam/serviceLinkedRole:ServiceLinkedRole": (c) => {
        const service = String(c.inputs.awsServiceName);
        const names: Record<string, string> = {
            "autoscaling.amazonaws.com": "AWSServiceRoleForAutoScaling",
            "opensearchservice.amazonaws.com": "AWSServiceRoleForAmazonOpenSearchService",
        };
        const name = names[service] ?? `AWSServiceRoleFor${service.split(".")[0]}`;
        return { name, path: `/aws-service-role/${service}/`, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/aws-service-role/${service}/${name}` };
    },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (c) => ({
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${String(c.inputs.url).replace(/^https:\/\//, "")}`,
    }),
    "aws:codeconnections/connection:Connection": (c) => ({
        arn: `arn:aws:codeconnections:${c.region}:${MOCK_ACCOUNT_ID}:connection/${c.id}`,
        connectionStatus: "PENDING",
    }),
    "aws:rds/subnetGroup:SubnetGroup": (c) => ({ arn: `arn:aws:rds:${c.region}:${MOCK_ACCOUNT_ID}:subgrp:${c.inputs.name ?? c.name}` }),
    "aws:sns/topic:Topic": (c) => ({ arn: `arn:aws:sns:${c.region}:${MOCK_ACCOUNT_ID}:${c.inputs.name ?? c.name}` }),
    "aws:route53/healthCheck:HealthCheck": (c) => ({ arn: `arn:aws:route53:::healthcheck/${c.id}` }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (c) => ({ arn: `arn:aws:cloudwatch:${c.region}:${MOCK_ACCOUNT_ID}:alarm:${c.inputs.name ?? c.name}` }),
    "aws:rds/instance:Instance": (c) => {
        const identifier = String(c.inputs.identifier ?? c.name);
        const address = `${identifier}.c${hex(c.id, 12)}.${c.region}.rds.amazonaws.com`;
        const port = Number(c.inputs.port ?? 5432);
        return {
            arn: `arn:aws:rds:${c.region}:${MOCK_ACCOUNT_ID}:db:${identifier}`,
            address,
            port,
            endpoint: `${address}:${port}`,
            resourceId: `db-${hex(c.id, 26).toUpperCase()}`,
            masterUserSecrets: c.inputs.manageMasterUserPassword
                ? [
                      {
                          secretArn: `arn:aws:secretsmanager:${c.region}:${MOCK_ACCOUNT_ID}:secret:rds!db-${hex(c.id, 8)}-${hex(c.id, 6)}`,
                          kmsKeyId: c.inputs.masterUserSecretKmsKeyId ?? "",
                          secretStatus: "active",
                      },
                  ]
                : [],
        };
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": (c) => ({
        arn: `arn:aws:elasticache:${c.region}:${MOCK_ACCOUNT_ID}:replicationgroup:${c.inputs.replicationGroupId ?? c.name}`,
        configurationEndpointAddress: `clustercfg.${c.inputs.replicationGroupId ?? c.name}.${hex(c.id, 6)}.${c.region}.cache.amazonaws.com`,
    }),
    "aws:s3/bucket:Bucket": (c) => {
        const bucket = String(c.inputs.bucket ?? `${c.name}-${c.id.slice(-8)}`);
        return { bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.${c.inputs.region ?? c.region}.amazonaws.com` };
    },
    "aws:serverlessrepository/cloudFormationStack:CloudFormationStack": (c) => {
        const parameters = (c.inputs.parameters ?? {}) as Record<string, string>;
        return { outputs: { RotationLambdaARN: `arn:aws:lambda:${c.region}:${MOCK_ACCOUNT_ID}:function:${parameters.functionName ?? c.name}` } };
    },
    "aws:secretsmanager/secret:Secret": (c) => ({
        arn: `arn:aws:secretsmanager:${c.region}:${MOCK_ACCOUNT_ID}:secret:${c.inputs.name ?? c.name}-${hex(c.id, 6)}`,
    }),
    "random:index/randomPassword:RandomPassword": (c) => ({
        result: secretValue(hex(c.id, Number(c.inputs.length ?? 32))),
        bcryptHash: secretValue(`$2a$10$${hex(c.id + "bcrypt", 53)}`),
    }),
    "aws:amp/workspace:Workspace": (c) => ({ prometheusEndpoint: `https://aps-workspaces.${c.region}.amazonaws.com/workspaces/${c.id}/` }),
    "aws:grafana/workspace:Workspace": (c) => ({ endpoint: `${c.id}.grafana-workspace.${c.region}.amazonaws.com` }),
    // issue #13 (F): the service account's Grafana id, and the token (secret) the Grafana provider authenticates with.
    "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount": (c) => ({ serviceAccountId: `sa-${c.id}` }),
    "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken": (c) => ({ key: secretValue(`glsa_${hex(c.id, 32)}`) }),
    "aws:opensearch/domain:Domain": (c) => ({
        arn: `arn:aws:es:${c.region}:${MOCK_ACCOUNT_ID}:domain/${c.inputs.domainName ?? c.name}`,
        endpoint: `vpc-${c.inputs.domainName ?? c.name}-${c.id}.${c.region}.es.amazonaws.com`,
    }),
    "aws:cloudtrail/trail:Trail": (c) => ({ arn: `arn:aws:cloudtrail:${c.region}:${MOCK_ACCOUNT_ID}:trail/${c.inputs.name ?? c.name}` }),
    "aws:acm/certificate:Certificate": (c) => ({
        arn: `arn:aws:acm:${c.region}:${MOCK_ACCOUNT_ID}:certificate/${hex(c.id, 8)}-${hex(c.id + "1", 4)}-4${hex(c.id + "2", 3)}-8${hex(c.id + "3", 3)}-${hex(c.id + "4", 12)}`,
        // As ACM answers: one CNAME per domain name and account, the same for every certificate and region
        // (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html).
        domainValidationOptions: [
            {
                domainName: c.inputs.domainName,
                resourceRecordName: `_${hex(`${MOCK_ACCOUNT_ID}/${c.inputs.domainName}`, 32)}.${c.inputs.domainName}.`,
                resourceRecordType: "CNAME",
                resourceRecordValue: `_${hex(`${MOCK_ACCOUNT_ID}/${c.inputs.domainName}/v`, 32)}.acm-validations.aws.`,
            },
        ],
        status: "ISSUED",
    }),
    "aws:acm/certificateValidation:CertificateValidation": (c) => ({ certificateArn: c.inputs.certificateArn }),
    "aws:route53/record:Record": (c) => ({ fqdn: String(c.inputs.name ?? c.name).replace(/\.$/, "") }),
    "eks:index:Cluster": (c) => {
        const name = `${c.name}-eks-${hex(c.id, 7)}`;
        const issuer = `oidc.eks.${c.region}.amazonaws.com/id/${hex(c.id, 32).toUpperCase()}`;
        const clusterSg = `sg-${hex(c.id + "cluster", 17)}`;
        const endpoint = `https://${hex(c.id, 32).toUpperCase()}.gr7.${c.region}.eks.amazonaws.com`;
        const kubeconfig = {
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name, cluster: { server: endpoint, "certificate-authority-data": "bW9jaw==" } }],
            contexts: [{ name: "aws", context: { cluster: name, user: "aws" } }],
            "current-context": "aws",
            users: [
                {
                    name: "aws",
                    user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", name] } },
                },
            ],
        };
        return {
            eksCluster: {
                name,
                arn: `arn:aws:eks:${c.region}:${MOCK_ACCOUNT_ID}:cluster/${name}`,
                endpoint,
                version: c.inputs.version,
                certificateAuthority: { data: "bW9jaw==" },
                vpcConfig: { clusterSecurityGroupId: clusterSg },
            },
            clusterSecurityGroupId: clusterSg,
            nodeSecurityGroupId: clusterSg,
            oidcProviderArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${issuer}`,
            oidcProviderUrl: `https://${issuer}`,
            oidcIssuer: issuer,
            kubeconfig,
            kubeconfigJson: JSON.stringify(kubeconfig),
        };
    },
    "aws:ecr/repository:Repository": (c) => ({
        repositoryUrl: `${MOCK_ACCOUNT_ID}.dkr.ecr.${c.region}.amazonaws.com/${c.inputs.name ?? c.name}`,
        registryId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:ecr:${c.region}:${MOCK_ACCOUNT_ID}:repository/${c.inputs.name ?? c.name}`,
    }),
    "aws:lb/loadBalancer:LoadBalancer": (c) => ({
        dnsName: `${c.inputs.name ?? c.name}-${hex(c.id, 10)}.${c.region}.elb.amazonaws.com`,
        zoneId: "ZHURV8PSTC4K8",
        arn: `arn:aws:elasticloadbalancing:${c.region}:${MOCK_ACCOUNT_ID}:loadbalancer/app/${c.inputs.name ?? c.name}/${hex(c.id, 16)}`,
        arnSuffix: `app/${c.inputs.name ?? c.name}/${hex(c.id, 16)}`,
    }),
    "aws:lb/targetGroup:TargetGroup": (c) => ({
        arn: `arn:aws:elasticloadbalancing:${c.region}:${MOCK_ACCOUNT_ID}:targetgroup/${c.inputs.name ?? c.name}/${hex(c.id, 16)}`,
        arnSuffix: `targetgroup/${c.inputs.name ?? c.name}/${hex(c.id, 16)}`,
    }),
    "aws:lb/listener:Listener": (c) => ({ arn: `arn:aws:elasticloadbalancing:${c.region}:${MOCK_ACCOUNT_ID}:listener/app/${hex(c.id, 16)}` }),
    "aws:wafv2/webAcl:WebAcl": (c) => ({
        arn: `arn:aws:wafv2:${c.region}:${MOCK_ACCOUNT_ID}:regional/webacl/${c.inputs.name ?? c.name}/${c.id}`,
        capacity: 1000,
    }),
    "aws:eks/nodeGroup:NodeGroup": (c) => ({
        arn: `arn:aws:eks:${c.region}:${MOCK_ACCOUNT_ID}:nodegroup/${c.inputs.clusterName}/${c.inputs.nodeGroupName ?? c.name}/${hex(c.id, 8)}`,
        resources: [{ autoscalingGroups: [{ name: `eks-${c.name}-${hex(c.id, 8)}` }], remoteAccessSecurityGroupId: "" }],
        status: "ACTIVE",
    }),
    "aws:ec2/launchTemplate:LaunchTemplate": (c) => ({
        latestVersion: 1,
        defaultVersion: 1,
        arn: `arn:aws:ec2:${c.region}:${MOCK_ACCOUNT_ID}:launch-template/${c.id}`,
    }),
    "aws:ec2/vpnConnection:VpnConnection": (c) => ({
        tunnel1Address: "198.51.100.1",
        tunnel2Address: "198.51.100.2",
        transitGatewayAttachmentId: "",
        arn: c.arn,
    }),
};

/** Resource types whose `id` is their name (so the mock id equals the name a user would pass). */
const ID_PREFIX: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/networkAcl:NetworkAcl": "acl",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
    "aws:ec2/vpnGateway:VpnGateway": "vgw",
    "aws:ec2/customerGateway:CustomerGateway": "cgw",
    "aws:ec2/vpnConnection:VpnConnection": "vpn",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt",
    "aws:route53/healthCheck:HealthCheck": "hc",
};

export interface MockOptions {
    readonly region: string;
    readonly preview: boolean;
    /** Outputs a StackReference resolves to, by referenced stack name (for the dr stack reading prod). */
    readonly stackOutputs?: Record<string, Record<string, unknown>>;
}

export class PlatformMocks implements pulumi.runtime.Mocks {
    private readonly seen = new Map<string, number>();
    /** Region of each explicit AWS provider, by its name (resources of a second-region provider get that region's ARNs). */
    private readonly providerRegions = new Map<string, string>();

    constructor(private readonly options: MockOptions) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: State } {
        const inputs = args.inputs as State;
        if (args.type === "pulumi:pulumi:StackReference") {
            const outputs = this.options.stackOutputs?.[String(inputs.name)] ?? {};
            return { id: String(inputs.name), state: { ...inputs, outputs, secretOutputNames: [] } };
        }
        if (args.type.startsWith("pulumi:providers:")) {
            if (args.type === "pulumi:providers:aws" && typeof inputs.region === "string") this.providerRegions.set(args.name, inputs.region);
            return { id: this.options.preview ? undefined : `${args.name}-provider`, state: inputs };
        }
        const providerName = /pulumi:providers:aws::([^:]+)::/.exec(args.provider ?? "")?.[1];
        const providerRegion = (providerName && this.providerRegions.get(providerName)) || this.options.region;
        // A resource-level `region` (provider v7) wins over its provider's.
        const region = typeof inputs.region === "string" && inputs.region !== "" ? inputs.region : providerRegion;
        const key = `${providerRegion}::${args.type}::${args.name}`;
        const n = (this.seen.get(key) ?? 0) + 1;
        this.seen.set(key, n);
        const id = args.id || `${ID_PREFIX[args.type] ?? args.type.split(":").pop()!.toLowerCase()}-${hex(`${key}#${n}`, 17)}`;
        const service = args.type.split(":")[1]?.split("/")[0] ?? "resource";
        const arn = `arn:aws:${service}:${region}:${MOCK_ACCOUNT_ID}:${args.type.split(":").pop()!.toLowerCase()}/${args.name}`;
        const context: Context = { name: args.name, inputs, id, arn, region };
        const computed: State = { arn, ...(COMPUTED[args.type]?.(context) ?? {}) };
        // Inputs win: a computed attribute the program set explicitly keeps the program's value.
        const visible = Object.fromEntries(Object.entries(computed).filter(([k]) => inputs[k] === undefined));
        if (this.options.preview) {
            // Secret outputs stay secret while unknown, as the engine keeps additionalSecretOutputs.
            return {
                id: undefined,
                state: { ...inputs, ...Object.fromEntries(Object.entries(visible).map(([k, v]) => [k, isSecretValue(v) ? secretValue(UNKNOWN) : UNKNOWN])) },
            };
        }
        return { id, state: { ...inputs, ...visible } };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const region = this.options.region;
        switch (args.token) {
            case "aws:index/getAvailabilityZones:getAvailabilityZones":
                return {
                    id: region,
                    names: ["a", "b", "c", "d"].map((z) => `${region}${z}`),
                    zoneIds: [1, 2, 3, 4].map((n) => `${region.slice(0, 3)}${n}`),
                    state: "available",
                };
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { id: MOCK_ACCOUNT_ID, accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/deployer`, userId: "AROAMOCK" };
            case "aws:index/getRegion:getRegion":
                return { id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com` };
            case "aws:route53/getZone:getZone": {
                // The public zone exists outside any stack; its id is stable per name.
                const name = String(args.inputs.name ?? "");
                const zoneId = `Z${hex(name, 20).toUpperCase()}`;
                return {
                    id: zoneId,
                    zoneId,
                    name,
                    arn: `arn:aws:route53:::hostedzone/${zoneId}`,
                    privateZone: false,
                    nameServers: ["ns-1.awsdns-01.org"],
                    resourceRecordSetCount: 2,
                };
            }
            case "aws:elb/getServiceAccount:getServiceAccount":
                // The regional ELB log-delivery account (eu-west-2's; the value only has to be an account ARN offline).
                return { id: "652711504416", arn: "arn:aws:iam::652711504416:root" };
            case "aws:ec2/getManagedPrefixList:getManagedPrefixList": {
                // AWS-managed prefix lists (e.g. com.amazonaws.<region>.route53-healthchecks) exist in every account; the id is stable per name.
                const name = String(args.inputs.name ?? "");
                return { id: `pl-${hex(name, 17)}`, name, addressFamily: "IPv4", maxEntries: 25, ownerId: "AWS", entries: [] };
            }
            case "aws:index/getPartition:getPartition":
                return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com" };
            default:
                return args.inputs;
        }
    }
}
