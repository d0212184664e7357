import * as assert from "node:assert/strict";
import { PlatformConfig, didYouMean, loadConfig, nestConfig } from "../../model/config";
import { configEditing, configErrorOf, configWith } from "../support";

/** The committed prod config with one key's JSON value edited. */
const prodWith = (key: string, edit: (value: Record<string, unknown>) => void) => configEditing("prod", key, edit);

describe("model/config", () => {
    it("accepts the committed prod and dr stack files with their production values", () => {
        const prod: PlatformConfig = loadConfig(configWith("prod", {}));
        assert.equal(prod.role, "prod");
        assert.equal(prod.region, "eu-west-2");
        assert.equal(prod.network.azCount, 3);
        assert.equal(prod.capacity.concurrentUsers, 1000);
        assert.equal(prod.capacity.targetUsers, 10000);
        assert.equal(prod.network.singleNatGateway, false, "secure default: one NAT per AZ");
        const dr = loadConfig(configWith("dr", {}));
        assert.equal(dr.role, "dr");
        assert.notEqual(dr.region, prod.region, "DR runs in a second region");
    });

    it("decodes structured values the way Pulumi passes them (JSON strings)", () => {
        assert.deepEqual(nestConfig({ "p:a": '{"x":1}', "p:b": "3", "p:c": "true", "p:d": "10.0.0.0/16", "q:e": "eu-west-1" }), {
            p: { a: { x: 1 }, b: 3, c: true, d: "10.0.0.0/16" },
            q: { e: "eu-west-1" },
        });
    });

    const cases: Array<{ what: string; flat: () => Record<string, string>; key: string; expected: RegExp }> = [
        {
            what: "an unknown top-level key, with a did-you-mean hint",
            flat: () => ({ ...configWith("prod", {}), "hybrid-platform:enviroment": "production" }),
            key: "hybrid-platform:enviroment",
            expected: /did you mean "environment"/,
        },
        {
            what: "an unknown nested key",
            flat: () => prodWith("hybrid-platform:network", (n) => (n.azCuont = 3)),
            key: "hybrid-platform:network.azCuont",
            expected: /did you mean "azCount"/,
        },
        {
            what: "a malformed CIDR",
            flat: () => prodWith("hybrid-platform:network", (n) => (n.vpcCidr = "10.10.0.0/33")),
            key: "hybrid-platform:network.vpcCidr",
            expected: /IPv4 CIDR/,
        },
        {
            what: "a CIDR with host bits set",
            flat: () => prodWith("hybrid-platform:network", (n) => (n.vpcCidr = "10.10.0.1/16")),
            key: "hybrid-platform:network.vpcCidr",
            expected: /host bits zero/,
        },
        {
            what: "a VPC CIDR overlapping on-prem",
            flat: () => prodWith("hybrid-platform:network", (n) => ((n.onPrem as { cidrs: string[] }).cidrs = ["10.10.64.0/18"])),
            key: "hybrid-platform:network.onPrem.cidrs[0]",
            expected: /does not overlap hybrid-platform:network.vpcCidr/,
        },
        {
            what: "a VPC CIDR overlapping the other site's VPC",
            flat: () => prodWith("hybrid-platform:network", (n) => (n.peerVpcCidrs = ["10.10.0.0/17"])),
            key: "hybrid-platform:network.peerVpcCidrs[0]",
            expected: /does not overlap/,
        },
        {
            what: "a negative number",
            flat: () => prodWith("hybrid-platform:capacity", (c) => (c.concurrentUsers = -1)),
            key: "hybrid-platform:capacity.concurrentUsers",
            expected: />= 1/,
        },
        {
            what: "a target below today's users",
            flat: () => prodWith("hybrid-platform:capacity", (c) => (c.targetUsers = 10)),
            key: "hybrid-platform:capacity.targetUsers",
            expected: /at least concurrentUsers/,
        },
        {
            what: "a non-boolean flag",
            flat: () => prodWith("hybrid-platform:network", (n) => (n.singleNatGateway = "yes")),
            key: "hybrid-platform:network.singleNatGateway",
            expected: /boolean/,
        },
        {
            what: "an unknown region, with a hint",
            flat: () => configWith("prod", { "aws:region": "eu-westt-2" }),
            key: "aws:region",
            expected: /did you mean "eu-west-2"/,
        },
        {
            what: "a missing region",
            flat: () => configWith("prod", { "aws:region": undefined }),
            key: "aws:region",
            expected: /region/,
        },
        {
            what: "fewer than three AZs for prod",
            flat: () => prodWith("hybrid-platform:network", (n) => (n.azCount = 2)),
            key: "hybrid-platform:network.azCount",
            expected: /at least 3/,
        },
        {
            what: "a private VPN peer address",
            flat: () => prodWith("hybrid-platform:network", (n) => ((n.onPrem as { vpnPeerAddress: string }).vpnPeerAddress = "192.168.1.1")),
            key: "hybrid-platform:network.onPrem.vpnPeerAddress",
            expected: /public IPv4/,
        },
        {
            what: "an unknown role",
            flat: () => configWith("prod", { "hybrid-platform:role": "primary" }),
            key: "hybrid-platform:role",
            expected: /"prod", "dr"/,
        },
        {
            what: "a hostname outside the zone",
            flat: () => prodWith("hybrid-platform:dns", (d) => (d.hostname = "portal.example.com")),
            key: "hybrid-platform:dns.hostname",
            expected: /inside zoneName/,
        },
        {
            what: "a non-HTTPS alert endpoint",
            flat: () => prodWith("hybrid-platform:alerts", (a) => (a.pagerDutyEndpoint = "http://events.example.com")),
            key: "hybrid-platform:alerts.pagerDutyEndpoint",
            expected: /https/,
        },
    ];

    for (const c of cases) {
        it(`rejects ${c.what}, naming ${c.key}`, () => {
            const error = configErrorOf(c.flat());
            assert.equal(error.key, c.key);
            assert.match(error.message, c.expected);
            assert.ok(error.message.startsWith(`invalid config ${c.key}: expected `), error.message);
        });
    }

    it("suggests only near misses", () => {
        assert.equal(didYouMean("netwrok", ["network", "capacity"]), "network");
        assert.equal(didYouMean("zzzzzz", ["network", "capacity"]), undefined);
    });
});
