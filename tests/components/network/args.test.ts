/** NetworkTier's argument contract: validated before anything registers, and the account passed down, never looked up. */
import * as assert from "node:assert/strict";
import { NetworkTier, NetworkTierArgs } from "../../../components/network/networkTier";
import { one, planComponent } from "../../support";
import { PASSED_ACCOUNT, assertRejectsArgs, inRegion, planCountingLookups } from "../../support/args";

const BASE: NetworkTierArgs = { cidr: "10.10.0.0/16", region: "eu-west-2", accountId: PASSED_ACCOUNT };
const ON_PREM = { cidrs: ["192.168.0.0/16"], vpnPeerAddress: "203.0.113.10", bgpAsn: 65010 };
const network = (changes: Partial<NetworkTierArgs>) => () => new NetworkTier("network", { ...BASE, ...changes }, inRegion());

describe("NetworkTier arguments", () => {
    it("takes the account from its args: no lookup of its own, and the flow-log role trusts only that account", async () => {
        const { plan, lookups } = await planCountingLookups(network({}));
        assert.equal(lookups, 0);
        const trust = JSON.parse(one(plan, "aws:iam/role:Role", "network-flow-logs").props.assumeRolePolicy as string);
        assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": PASSED_ACCOUNT } });
        const keyPolicy = JSON.parse(one(plan, "aws:kms/key:Key", "network-flow-logs").props.policy as string);
        assert.equal(keyPolicy.Statement[0].Principal.AWS, `arn:aws:iam::${PASSED_ACCOUNT}:root`);
    });

    it("names its flow-log key by the one alias scheme", async () => {
        const plan = await planComponent(network({}));
        assert.equal(one(plan, "aws:kms/alias:Alias", "network-flow-logs").props.name, "alias/hybrid-platform/prod/network/flow-logs");
    });

    it("refuses a VPC CIDR outside /16-/20, an AZ count outside 2-6 and a retention CloudWatch does not accept, all at once", async () => {
        const message = await assertRejectsArgs(network({ cidr: "10.10.0.0/24", azCount: 7, flowLogRetentionDays: 10 }), [
            "cidr",
            "azCount",
            "flowLogRetentionDays",
        ]);
        assert.match(message, /^NetworkTier network: cidr 10\.10\.0\.0\/24 is not an IPv4 CIDR from \/16 to \/20/);
        assert.match(message, /flowLogRetentionDays 10 days is not a retention CloudWatch Logs accepts/);
    });

    it("refuses an on-prem link without networks, with a private peer address or the VPN gateway's own ASN", async () => {
        await assertRejectsArgs(network({ onPrem: { ...ON_PREM, cidrs: [], vpnPeerAddress: "10.1.2.3", bgpAsn: 64512 } }), [
            "onPrem.cidrs",
            "onPrem.vpnPeerAddress",
            "onPrem.bgpAsn",
        ]);
        await assertRejectsArgs(network({ onPrem: { ...ON_PREM, bgpAsn: 65535 } }), ["onPrem.bgpAsn"]);
    });

    it("refuses an on-prem network that overlaps the VPC (its route would shadow the VPC's own)", async () => {
        const message = await assertRejectsArgs(network({ onPrem: { ...ON_PREM, cidrs: ["192.168.0.0/16", "10.10.64.0/18"] } }), ["onPrem.cidrs[1]"]);
        assert.match(message, /10\.10\.64\.0\/18 overlaps the VPC 10\.10\.0\.0\/16/);
    });
});
