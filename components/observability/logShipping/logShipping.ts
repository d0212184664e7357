/**
 * Log shipping on both clusters (issue #13 item 2, seed 6): Fluent Bit as a DaemonSet in its own `logging`
 * namespace on EKS (IRSA) and on the on-prem cluster (IAM Roles Anywhere), shipping container and node logs to
 * CloudWatch Logs groups created here (CMK, retention) and to the log search domain, where the shippers' roles are
 * mapped to a writer role of its fine-grained access control. Each step is a helper in its own file.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "../../../model/cidr";
import { DEFAULTS } from "../../../model/defaults";
import { ShipperSite, fluentBitConfig, rolesAnywhereConfig } from "../../../model/logShipping";
import { ClusterAccess } from "../../app/appCluster";
import { validateArgs } from "../../argErrors";
import { CustomerKey, logsServiceGrant } from "../../security/customerKey";
import { createIndexAccess } from "./indexAccess";
import { createLogGroups, groupNames } from "./logGroups";
import { OnPremIdentity, createShipperRoles } from "./shipperRoles";
import { ROLES_ANYWHERE_HOST_DIR, createShipperRelease } from "./shipperRelease";

export type { OnPremIdentity };

const LOGS = DEFAULTS.observability.logs;

export interface LogShippingArgs {
    /** The stack's region: the CloudWatch Logs and OpenSearch endpoints the shippers sign for. Required. */
    readonly region: string;
    /** The stack's account: the key policy of the log groups' own key (when no keyArn). Required. */
    readonly accountId: pulumi.Input<string>;
    /** The clusters to ship from (AppCluster.clusters): EKS always, on-prem when it has a provider and an identity. Required. */
    readonly clusters: ClusterAccess;
    /**
     * CMK of the log groups; its key policy must admit CloudWatch Logs of this region.
     * @default a key of its own
     * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
     */
    readonly keyArn?: pulumi.Input<string>;
    /**
     * IPv4 blocks the shippers call on 443, per cluster: on EKS the interface endpoints' blocks (logs, sts), the domain's
     * subnets and the cluster API's (the private subnets); on-prem the VPC (the endpoints over the VPN) and the on-prem
     * API server's VLAN. The logging namespace's NetworkPolicy admits these and nothing else. eks: at least one. Required.
     */
    readonly httpsCidrs: { readonly eks: readonly string[]; readonly onprem?: readonly string[] };
    /** The log search domain (LogSearch): its ARN, VPC endpoint and FGAC master role. @default none (CloudWatch Logs only) */
    readonly openSearch?: {
        readonly domainArn: pulumi.Input<string>;
        readonly endpoint: pulumi.Input<string>;
        readonly masterRoleArn: pulumi.Input<string>;
    };
    /** IAM Roles Anywhere trust anchor and profile of the on-prem cluster. @default none (no shipper on-prem) */
    readonly onPremIdentity?: OnPremIdentity;
    /**
     * CloudWatch Logs host the on-prem shipper calls: the logs interface endpoint's own DNS name (vpce-...), which resolves
     * to its private addresses from on-prem too. @default logs.<region>.amazonaws.com (on-prem DNS must resolve it to the endpoint)
     * @see https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-dns-hostnames
     */
    readonly onPremLogsEndpoint?: pulumi.Input<string>;
    /** Days the application and platform logs are kept: a CloudWatch retention value. @default 365 */
    readonly retentionDays?: number;
    /** Days the node (kubelet, containerd) logs are kept: a CloudWatch retention value. @default 365 */
    readonly hostRetentionDays?: number;
    /** Prefix of the OpenSearch indices (`<prefix>-<site>-YYYY.MM.DD`): lowercase letters, digits, hyphens. @default "logs" */
    readonly indexPrefix?: string;
    /** Days an index is kept in OpenSearch (ISM), 1 to 3650. @default 30 */
    readonly searchRetentionDays?: number;
}

export class LogShipping extends pulumi.ComponentResource {
    /** The CloudWatch Logs groups' names, by site and stream. */
    readonly logGroupNames: pulumi.Output<Record<string, string>>;
    /** The clusters that have a shipper ("eks", "onprem"). */
    readonly sites: readonly ShipperSite[];

    constructor(name: string, args: LogShippingArgs, opts?: pulumi.ComponentResourceOptions) {
        const indexPrefix = args.indexPrefix ?? LOGS.indexPrefix;
        const onPrem = args.clusters.onPrem !== undefined && args.onPremIdentity !== undefined;
        validateArgs(`LogShipping ${name}`, (e) => {
            e.atLeast(args.httpsCidrs.eks, 1, "httpsCidrs.eks", "CIDRs (the shipper could reach nothing)");
            const all = [
                ...args.httpsCidrs.eks.map((c, i) => [c, `httpsCidrs.eks[${i}]`]),
                ...(args.httpsCidrs.onprem ?? []).map((c, i) => [c, `httpsCidrs.onprem[${i}]`]),
            ];
            all.forEach(([c, path]) => e.check(parseCidr(c) !== undefined, path, `${c} is not an IPv4 CIDR with host bits zero`));
            e.check(
                !onPrem || (args.httpsCidrs.onprem ?? []).length > 0,
                "httpsCidrs.onprem",
                "is empty while the on-prem cluster gets a shipper (it could reach nothing)",
            );
            e.logRetention(args.retentionDays, "retentionDays");
            e.logRetention(args.hostRetentionDays, "hostRetentionDays");
            e.integer(args.searchRetentionDays, 1, 3650, "searchRetentionDays");
            e.check(
                /^[a-z][a-z0-9-]{0,39}$/.test(indexPrefix),
                "indexPrefix",
                `${indexPrefix} is not a lowercase index prefix (a letter, then up to 39 letters, digits, hyphens)`,
            );
        });
        super("hybrid:observability:LogShipping", name, {}, opts);
        const stack = pulumi.getStack();
        const sites: ShipperSite[] = onPrem ? ["eks", "onprem"] : ["eks"];
        this.sites = sites;
        const keyArn =
            args.keyArn ??
            new CustomerKey(
                name,
                { description: "Cluster logs", purpose: name, accountId: args.accountId, serviceGrants: [logsServiceGrant(args.region, args.accountId)] },
                { parent: this },
            ).arn;

        const groups = createLogGroups(this, name, {
            stack,
            sites,
            keyArn,
            retentionDays: args.retentionDays ?? LOGS.retentionDays,
            hostRetentionDays: args.hostRetentionDays ?? LOGS.hostRetentionDays,
        });
        const roles = createShipperRoles(this, name, {
            stack,
            clusters: args.clusters,
            groups,
            domainArn: args.openSearch?.domainArn,
            onPremIdentity: args.onPremIdentity,
        });
        const openSearch = args.openSearch ? pulumi.output(args.openSearch.endpoint).apply((host) => ({ host, indexPrefix })) : pulumi.output(undefined);

        // Before the shippers start: their first _bulk is then accepted, not refused with 403 and retried.
        const indexAccess = args.openSearch
            ? [
                  createIndexAccess(this, name, {
                      region: args.region,
                      endpoint: args.openSearch.endpoint,
                      masterRoleArn: args.openSearch.masterRoleArn,
                      shipperRoleArns: Object.values(roles).map((r) => r.arn),
                      indexPrefix,
                      retentionDays: args.searchRetentionDays ?? LOGS.searchRetentionDays,
                      dependsOn: Object.values(roles),
                  }),
              ]
            : [];

        const eksRelease = createShipperRelease(this, name, {
            site: "eks",
            provider: args.clusters.eks.provider,
            config: pulumi
                .all([groupNames(groups.eks!), openSearch])
                .apply(([logGroups, os]) => fluentBitConfig({ region: args.region, site: "eks", logGroups, openSearch: os })),
            httpsCidrs: args.httpsCidrs.eks,
            irsaRoleArn: roles.eks!.arn,
            dependsOn: [...args.clusters.prerequisites, ...indexAccess],
        });
        const releases = [eksRelease.release];
        if (onPrem && groups.onprem && roles.onprem) {
            const identity = args.onPremIdentity!;
            const onPremRelease = createShipperRelease(this, name, {
                site: "onprem",
                provider: args.clusters.onPrem!.provider,
                config: pulumi
                    .all([groupNames(groups.onprem), openSearch, pulumi.output(args.onPremLogsEndpoint)])
                    .apply(([logGroups, os, logsEndpoint]) =>
                        fluentBitConfig({ region: args.region, site: "onprem", logGroups, openSearch: os, logsEndpoint: logsEndpoint ?? undefined }),
                    ),
                httpsCidrs: args.httpsCidrs.onprem ?? [],
                awsConfig: pulumi.all([identity.trustAnchorArn, identity.profileArn, roles.onprem.arn]).apply(([trustAnchorArn, profileArn, roleArn]) =>
                    rolesAnywhereConfig({
                        region: args.region,
                        trustAnchorArn,
                        profileArn,
                        roleArn,
                        helperPath: `${ROLES_ANYWHERE_HOST_DIR}/aws_signing_helper`,
                        certificatePath: `${ROLES_ANYWHERE_HOST_DIR}/node.crt`,
                        privateKeyPath: `${ROLES_ANYWHERE_HOST_DIR}/node.key`,
                    }),
                ),
                dependsOn: indexAccess,
            });
            releases.push(onPremRelease.release);
        }

        this.logGroupNames = pulumi.all(
            Object.fromEntries(sites.flatMap((site) => Object.entries(groups[site]!).map(([kind, g]) => [`${site}/${kind}`, g.name]))),
        );
        this.registerOutputs({ logGroupNames: this.logGroupNames });
    }
}
