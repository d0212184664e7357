/**
 * List prices (USD, On-Demand, Linux) of compute and network (issue #15 part CC): EKS, EC2, EBS, NAT,
 * public IPv4, ALB, WAF, Site-to-Site VPN, PrivateLink, Route 53, inter-region transfer, ECR; one entry
 * per key in eu-west-2 (prod) and eu-west-1 (dr).
 *
 * How they were read (2026-12-01): the AWS pricing pages render their regional tables with JavaScript
 * from the AWS Price List bulk files (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<Offer>/
 * current/<region>/index.json), neither of which is in the stored corpus this was read from. Each
 * entry's `source` is the AWS pricing page; its `note` says where the figure was confirmed (a public
 * document quoting the Price List file by usage type, an AWS blog, an AWS price-list fixture) or that it
 * could not be confirmed there and is the best public figure known, to re-check against the page.
 */
import type { PriceEntry } from "./index";
import { ROUTE53_PAGE, ROUTE53_QUOTED, ROUTE53_ROWS } from "./route53";

const READ = "2026-12-01";
const LONDON = "eu-west-2";
const IRELAND = "eu-west-1";

const EKS_PAGE = "https://aws.amazon.com/eks/pricing/";
const EC2_PAGE = "https://aws.amazon.com/ec2/pricing/on-demand/";
const EBS_PAGE = "https://aws.amazon.com/ebs/pricing/";
const VPC_PAGE = "https://aws.amazon.com/vpc/pricing/";
const ELB_PAGE = "https://aws.amazon.com/elasticloadbalancing/pricing/";
const WAF_PAGE = "https://aws.amazon.com/waf/pricing/";
const VPN_PAGE = "https://aws.amazon.com/vpn/pricing/";
const PRIVATELINK_PAGE = "https://aws.amazon.com/privatelink/pricing/";
const TRANSFER_PAGE = "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer";
const ECR_PAGE = "https://aws.amazon.com/ecr/pricing/";

/** A London price list document (2026-10-05) quoting the AWS Price List bulk files by usage type. */
const QUOTED_LONDON = "confirmed for eu-west-2 in a public cost document quoting the AWS Price List file (read 2026-10-05)";
/** A public eu-west-1 cost and usage report (2026-05) whose NAT, VPN, endpoint and public IPv4 rates stand in the list ratios to IPv4's $0.005. */
const IRELAND_CUR =
    "consistent with a public eu-west-1 cost and usage report (2026-05: EU-NatGateway-*, EU-VPN-Usage-Hours, EU-VpcEndpoint-Hours in these ratios to EU-PublicIPv4 at $0.005)";
const UNCONFIRMED = "not confirmed in the stored corpus (the page's table is rendered by script): best public list figure known; re-check against the page";

interface Row {
    readonly key: string;
    readonly unit: string;
    readonly source: string;
    readonly [LONDON]: number;
    readonly [IRELAND]: number;
    readonly note: string;
}

/** Hourly On-Demand Linux price of each type model/capacity.ts INSTANCE_TYPES knows (a test keeps the two lists in step). */
const INSTANCES: readonly (readonly [string, number, number, string])[] = [
    ["m5.large", 0.111, 0.107, UNCONFIRMED],
    [
        "m5.xlarge",
        0.222,
        0.214,
        `eu-west-1 confirmed by an AWS Price List fixture (SKU HNKY83Z77VRXC2UH, "$0.214 per On Demand Linux m5.xlarge Instance Hour"); eu-west-2 ${UNCONFIRMED}`,
    ],
    ["m5.2xlarge", 0.444, 0.428, UNCONFIRMED],
    ["m5.4xlarge", 0.888, 0.856, UNCONFIRMED],
    ["m6i.xlarge", 0.222, 0.214, UNCONFIRMED],
    ["m6i.2xlarge", 0.444, 0.428, UNCONFIRMED],
    ["m7i.xlarge", 0.2331, 0.2247, UNCONFIRMED],
    ["m7i.2xlarge", 0.4662, 0.4494, UNCONFIRMED],
];

const ROWS: readonly Row[] = [
    {
        key: "eks.cluster.standard",
        unit: "cluster-hour",
        source: EKS_PAGE,
        [LONDON]: 0.1,
        [IRELAND]: 0.1,
        note: "Kubernetes version in standard support; the same in every commercial region (AWS blog 'Amazon EKS extended support for Kubernetes versions pricing')",
    },
    {
        key: "eks.cluster.extended",
        unit: "cluster-hour",
        source: EKS_PAGE,
        [LONDON]: 0.6,
        [IRELAND]: 0.6,
        note: "total rate of a cluster on a version in extended support (AWS blog 'Amazon EKS extended support for Kubernetes versions pricing': $0.60 per cluster per hour from April 2024)",
    },
    ...INSTANCES.map(([type, london, ireland, note]) => ({
        key: `ec2.instance.${type}`,
        unit: "instance-hour",
        source: EC2_PAGE,
        [LONDON]: london,
        [IRELAND]: ireland,
        note,
    })),
    {
        key: "ebs.gp3.gbMonth",
        unit: "GB-month",
        source: EBS_PAGE,
        [LONDON]: 0.0928,
        [IRELAND]: 0.088,
        note: `${QUOTED_LONDON} (EUW2-EBS:VolumeUsage.gp3); eu-west-1 $0.088 in an AWS Price List fixture (EU-EBS:VolumeUsage.gp3)`,
    },
    {
        key: "ebs.gp3.iopsMonth",
        unit: "IOPS-month above 3,000",
        source: EBS_PAGE,
        [LONDON]: 0.0058,
        [IRELAND]: 0.0055,
        note: `3,000 IOPS are included free; ${UNCONFIRMED}`,
    },
    {
        key: "ebs.gp3.throughputMonth",
        unit: "MB/s-month above 125",
        source: EBS_PAGE,
        [LONDON]: 0.0464,
        [IRELAND]: 0.044,
        note: `125 MB/s are included free; ${UNCONFIRMED}`,
    },
    { key: "ebs.gp2.gbMonth", unit: "GB-month", source: EBS_PAGE, [LONDON]: 0.116, [IRELAND]: 0.11, note: UNCONFIRMED },
    {
        key: "nat.hour",
        unit: "NAT gateway-hour",
        source: VPC_PAGE,
        [LONDON]: 0.05,
        [IRELAND]: 0.048,
        note: `${QUOTED_LONDON} (EUW2-NatGateway-Hours); eu-west-1 ${IRELAND_CUR}`,
    },
    {
        key: "nat.dataGb",
        unit: "GB processed",
        source: VPC_PAGE,
        [LONDON]: 0.05,
        [IRELAND]: 0.048,
        note: `${QUOTED_LONDON} (EUW2-NatGateway-Bytes); eu-west-1 ${IRELAND_CUR}`,
    },
    {
        key: "vpc.publicIpv4.hour",
        unit: "public IPv4 address-hour",
        source: VPC_PAGE,
        [LONDON]: 0.005,
        [IRELAND]: 0.005,
        note: `every public IPv4 address, in use or idle, since 2024-02-01; ${QUOTED_LONDON} (EUW2-PublicIPv4:InUseAddress)`,
    },
    {
        key: "alb.hour",
        unit: "ALB-hour",
        source: ELB_PAGE,
        [LONDON]: 0.02646,
        [IRELAND]: 0.0252,
        note: `${QUOTED_LONDON} (EUW2-LoadBalancerUsage); eu-west-1 ${UNCONFIRMED}`,
    },
    {
        key: "alb.lcuHour",
        unit: "LCU-hour",
        source: ELB_PAGE,
        [LONDON]: 0.0084,
        [IRELAND]: 0.008,
        note: `an LCU is the largest of 25 new connections/s, 3,000 active connections/min, 1 GB/h processed (EC2/IP targets), 1,000 rule evaluations/s (dimensions transcribed verbatim from the ELB pricing page, 2026-09-20); ${QUOTED_LONDON} (EUW2-LCUUsage); eu-west-1 ${UNCONFIRMED}`,
    },
    {
        key: "waf.webAclMonth",
        unit: "web ACL-month",
        source: WAF_PAGE,
        [LONDON]: 5,
        [IRELAND]: 5,
        note: "the same in every region (AWS blog 'Cost-effective ways for securing your web applications using AWS WAF'); prorated hourly",
    },
    {
        key: "waf.ruleMonth",
        unit: "rule-month",
        source: WAF_PAGE,
        [LONDON]: 1,
        [IRELAND]: 1,
        note: "each rule group, custom or managed, bills as one rule (AWS security best practices guide, WAF cost); paid managed groups (Bot Control, Fraud Control) add a subscription not listed here",
    },
    {
        key: "waf.requestMillion",
        unit: "1M requests",
        source: WAF_PAGE,
        [LONDON]: 0.6,
        [IRELAND]: 0.6,
        note: "for web ACLs within the 1,500 WCUs the base price covers",
    },
    {
        key: "vpn.connectionHour",
        unit: "VPN connection-hour",
        source: VPN_PAGE,
        [LONDON]: 0.05,
        [IRELAND]: 0.05,
        note: `both tunnels of one connection; eu-west-1 ${IRELAND_CUR}; eu-west-2 ${UNCONFIRMED}`,
    },
    {
        key: "vpce.interface.azHour",
        unit: "endpoint ENI (AZ)-hour",
        source: PRIVATELINK_PAGE,
        [LONDON]: 0.011,
        [IRELAND]: 0.011,
        note: `eu-west-2 confirmed in a public document quoting the Price List (EUW2-VpcEndpoint-Hours); eu-west-1 ${IRELAND_CUR}`,
    },
    {
        key: "vpce.interface.dataGb",
        unit: "GB processed",
        source: PRIVATELINK_PAGE,
        [LONDON]: 0.01,
        [IRELAND]: 0.01,
        note: "first 1 PB a month; eu-west-2 quoted with EUW2-VpcEndpoint-Bytes",
    },
    ...ROUTE53_ROWS.map(([key, unit, usd, note]) => ({ key, unit, source: ROUTE53_PAGE, [LONDON]: usd, [IRELAND]: usd, note: `${note}; ${ROUTE53_QUOTED}` })),
    {
        key: "transfer.interRegionGb",
        unit: "GB out to another region",
        source: TRANSFER_PAGE,
        [LONDON]: 0.02,
        [IRELAND]: 0.02,
        note: "billed by the sending region; eu-west-2 to eu-west-1 $0.02 in an AWS Price List fixture (EUW2-EU-AWS-Out-Bytes); eu-west-1 " + UNCONFIRMED,
    },
    {
        key: "transfer.internetOutGb",
        unit: "GB out to the internet",
        source: TRANSFER_PAGE,
        [LONDON]: 0.09,
        [IRELAND]: 0.09,
        note:
            "first 10 TB a month, after 100 GB a month free across the account; eu-west-2 $0.09 up to 10,240 GB in an AWS Price List fixture (EUW2-DataTransfer-Out-Bytes); eu-west-1 " +
            UNCONFIRMED,
    },
    {
        key: "ecr.storageGbMonth",
        unit: "GB-month",
        source: ECR_PAGE,
        [LONDON]: 0.1,
        [IRELAND]: 0.1,
        note: "private repositories; replicas bill the same in the destination region; eu-west-2 quoted with EUW2-TimedStorage-ByteHrs",
    },
];

export const COMPUTE_NETWORK_PRICES: readonly PriceEntry[] = ROWS.flatMap((row) =>
    [LONDON, IRELAND].map((region) => ({
        key: row.key,
        region,
        usd: row[region as typeof LONDON],
        unit: row.unit,
        asOf: READ,
        source: row.source,
        note: row.note,
    })),
);
