/**
 * issue #13: metrics and trace collection on every cluster the stack deploys to (docs/monitoring-collection.md). On EKS
 * the collector's AWS identity is IRSA; on-prem it is IAM Roles Anywhere (onPremIdentity.ts), its calls going to the
 * interface endpoints over the VPN. Both write into the one AMP workspace ("one place to see both sites") and to X-Ray.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { COLLECTOR_NAME, TELEMETRY_NAMESPACE, endpointHostAliases } from "../../../model/collection";
import { Statement, allow } from "../../../model/iam";
import { HTTPS_PORT } from "../../../model/ports";
import { validateArgs } from "../../argErrors";
import { irsaRole } from "../../app/irsa";
import type { ClusterAccess } from "../../app/appCluster";
import { createCollectorRelease } from "./collectorRelease";
import { OnPremIdentity, createOnPremIdentity, rolesAnywhereRole } from "./onPremIdentity";
import { signingHelperSidecar } from "./signingHelper";

export interface ClusterTelemetryArgs {
    /** Region of the workspace, X-Ray and the interface endpoints. */
    readonly region: string;
    /** The AMP workspace (Observability.prometheusWorkspaceArn / prometheusEndpoint): the collectors' only write target. */
    readonly prometheusWorkspaceArn: pulumi.Input<string>;
    readonly prometheusEndpoint: pulumi.Input<string>;
    /** The clusters (AppCluster.clusters): a collector on EKS, and on-prem when the stack has that cluster. */
    readonly clusters: ClusterAccess;
    /** The private subnets' CIDRs (NetworkTier.privateSubnetCidrs): where the interface endpoints' fixed addresses are. */
    readonly privateSubnetCidrs: string[];
    /**
     * Share of traces kept, 0 < ratio <= 1.
     * @default 0.05 (model/defaults.ts observability.collection.traceSampling)
     */
    readonly traceSampling: number;
    /**
     * Seconds between scrapes, 10 to 300.
     * @default 30
     */
    readonly scrapeIntervalSeconds: number;
    /**
     * The on-prem collector's identity: the site CA (trust anchor), its certificate's CN and Secret, the signing helper
     * image. Required when `clusters.onPrem` is set: without it the on-prem site would send nothing.
     * @default none
     * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/credential-helper.html
     */
    readonly onPrem?: {
        readonly trustAnchorCertificate: pulumi.Input<string>;
        readonly clientCommonName: string;
        readonly clientCertificateSecretName: string;
        readonly signingHelperImage: string;
    };
    /**
     * Where the on-prem collector's calls enter the VPC: the interface endpoints' security group (it admits the VPC's CIDR
     * only) and the on-prem application VLAN it is opened to on 443 for them. Required with `clusters.onPrem`.
     * @default none
     */
    readonly onPremNetwork?: { readonly endpointSecurityGroupId: pulumi.Input<string>; readonly applicationCidr: string };
    readonly tags?: Record<string, string>;
}

/** Only what the collectors do: remote write to this workspace; traces and the exporter's telemetry to X-Ray (no resource-level ARNs). */
export function collectorStatements(workspaceArn: pulumi.Input<string>): pulumi.Output<Statement[]> {
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonmanagedserviceforprometheus.html (RemoteWrite: workspace)
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html (PutTraceSegments, PutTelemetryRecords: no resource types)
    return pulumi
        .output(workspaceArn)
        .apply((arn) => [allow("RemoteWrite", ["aps:RemoteWrite"], arn), allow("Traces", ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "*")]);
}

export class ClusterTelemetry extends pulumi.ComponentResource {
    /** The on-prem identity part D's log shipper builds its own role on; absent without an on-prem cluster. */
    readonly onPremIdentity?: OnPremIdentity;
    readonly collectorRoleArn: pulumi.Output<string>;

    constructor(name: string, args: ClusterTelemetryArgs, opts?: pulumi.ComponentResourceOptions) {
        validateArgs(`ClusterTelemetry ${name}`, (e) => {
            e.check(args.traceSampling > 0 && args.traceSampling <= 1, "traceSampling", `${args.traceSampling} is not a ratio above 0 and at most 1`);
            e.integer(args.scrapeIntervalSeconds, 10, 300, "scrapeIntervalSeconds");
            e.check(
                args.clusters.onPrem === undefined || args.onPrem !== undefined,
                "onPrem",
                "the stack has an on-prem cluster: its collector needs observability.collection.onPrem (trust anchor, certificate, signing helper)",
            );
            e.atLeast(args.privateSubnetCidrs, 1, "privateSubnetCidrs", "private subnet CIDRs");
            e.check(
                args.clusters.onPrem === undefined || args.onPremNetwork !== undefined,
                "onPremNetwork",
                "the on-prem collector reaches the interface endpoints over the VPN: their security group must admit the application VLAN",
            );
        });
        super("hybrid:observability:ClusterTelemetry", name, {}, opts);
        const stack = pulumi.getStack();
        const scope = { stack, tags: args.tags };
        const statements = collectorStatements(args.prometheusWorkspaceArn);
        const site = (kind: "eks" | "onPrem", clusterLabel: pulumi.Input<string>, endpoint: pulumi.Input<string>) =>
            pulumi.all([clusterLabel, endpoint]).apply(([label, prometheusEndpoint]) => ({
                site: kind,
                region: args.region,
                prometheusEndpoint,
                clusterLabel: label,
                scrapeIntervalSeconds: args.scrapeIntervalSeconds,
                traceSampling: args.traceSampling,
            }));

        const eks = args.clusters.eks;
        const role = irsaRole(this, name, {
            ...scope,
            oidc: eks.oidc,
            roleName: "otel-collector",
            namespace: TELEMETRY_NAMESPACE,
            serviceAccount: COLLECTOR_NAME,
            statements,
        });
        this.collectorRoleArn = role.arn;
        createCollectorRelease(this, `${name}-eks`, {
            site: site("eks", eks.clusterName, args.prometheusEndpoint),
            provider: eks.provider,
            dependsOn: args.clusters.prerequisites,
            serviceAccountAnnotations: { "eks.amazonaws.com/role-arn": role.arn, "eks.amazonaws.com/sts-regional-endpoints": "true" },
        });

        if (args.clusters.onPrem && args.onPrem) {
            const onPrem = args.onPrem;
            const identity = createOnPremIdentity(this, name, {
                stack,
                caCertificate: onPrem.trustAnchorCertificate,
                tags: args.tags,
                roles: (trustAnchorArn) => [
                    rolesAnywhereRole(this, name, { ...scope, roleName: "onprem-collector", trustAnchorArn, commonName: onPrem.clientCommonName, statements }),
                ],
            });
            this.onPremIdentity = { trustAnchorArn: identity.trustAnchorArn, profileArn: identity.profileArn };
            // The endpoints' group admits the VPC only: without this the on-prem collector's calls time out at the endpoint.
            if (args.onPremNetwork)
                new aws.vpc.SecurityGroupIngressRule(
                    `${name}-onprem-endpoints-https`,
                    {
                        securityGroupId: args.onPremNetwork.endpointSecurityGroupId,
                        cidrIpv4: args.onPremNetwork.applicationCidr,
                        ipProtocol: "tcp",
                        fromPort: HTTPS_PORT,
                        toPort: HTTPS_PORT,
                        description: "On-prem collector to AMP, X-Ray and Roles Anywhere over the VPN",
                        tags: args.tags,
                    },
                    { parent: this },
                );
            createCollectorRelease(this, `${name}-onprem`, {
                site: site("onPrem", `${stack}-onprem`, args.prometheusEndpoint),
                provider: args.clusters.onPrem.provider as k8s.Provider,
                sidecar: {
                    ...signingHelperSidecar({
                        ...onPrem,
                        region: args.region,
                        trustAnchorArn: identity.trustAnchorArn,
                        profileArn: identity.profileArn,
                        roleArn: identity.roles[0].arn,
                    }),
                    hostAliases: endpointHostAliases(args.region, args.privateSubnetCidrs),
                },
            });
        }
        this.registerOutputs({ collectorRoleArn: this.collectorRoleArn });
    }
}
