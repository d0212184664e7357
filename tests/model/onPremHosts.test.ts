/**
 * The on-prem hosts' config section, its cross-checks, the inventory and the host firewall rules generated from the
 * flow model (issue #16). Pure: no mocks.
 */
import * as assert from "node:assert/strict";
import * as ipaddr from "ipaddr.js";
import { PROJECT, loadConfig } from "../../model/config";
import { FLOWS } from "../../model/flows";
import { HEALTH_CHECK_PORT, HTTPS_PORT } from "../../model/ports";
import { ON_PREM_GROUPS, OnPremHostsConfig, renderInventory } from "../../model/onPremHosts";
import { MINIO_PORT, ON_PREM_HOST_FLOWS, SSH_PORT, admits, groupsIn, hostFirewallRules, vpnFlows } from "../../model/onPremFirewall";
import { configEditing, configErrorOf, configWith, stackConfig } from "../support";

type Json = Record<string, any>;
const inCidr = (ip: string, cidr: string) => ipaddr.IPv4.parse(ip).match(ipaddr.IPv4.parseCIDR(cidr));
const KEY = `${PROJECT}:onPrem`;
const editing = (edit: (o: Json) => void) => configEditing<Json>("prod", KEY, edit);

const cfg = stackConfig("prod");
const onPrem = cfg.onPrem!;
const ctx = {
    portalHostname: cfg.dns.hostname,
    healthCheckPath: "/healthz",
    onPremCidrs: cfg.network.onPrem!.cidrs,
    vpcCidrs: [cfg.network.vpcCidr, ...cfg.network.peerVpcCidrs],
    rateLimitPer5Minutes: cfg.app.wafRateLimit,
};
const [APP_VLAN, DATA_VLAN, DMZ_VLAN] = ctx.onPremCidrs;
const hostIn = (cidr: string) => cidr.replace(/\.0\/\d+$/, ".200");

describe("model/onPremHosts: config", () => {
    it("the committed prod stack declares every group, each host in its VLAN", () => {
        for (const g of ON_PREM_GROUPS) assert.ok(onPrem.hosts[g].length > 0, g);
        assert.equal(onPrem.sshUser, "ansible");
        assert.equal(onPrem.socSyslog.port, 6514);
    });

    it("a misspelt group is refused with a did-you-mean", () => {
        const e = configErrorOf(editing((o) => ((o.hosts.dmz_lbs = o.hosts.dmz_lb), delete o.hosts.dmz_lb)));
        assert.match(e.message, /onPrem\.hosts\.dmz_lbs: expected a known key \(did you mean "dmz_lb"\?\)/);
    });

    it("a host outside its VLAN's CIDR, or in another group's VLAN, is refused naming the key", () => {
        const outside = configErrorOf(editing((o) => (o.hosts.dmz_lb[0].address = "172.16.1.99")));
        assert.match(outside.message, /onPrem\.hosts\.dmz_lb\[0\]\.address: expected an address inside the dmz VLAN 172\.16\.32\.0\/24/);
        const wrongVlan = configErrorOf(editing((o) => (o.hosts.object_store[0].vlan = "dmz")));
        assert.match(wrongVlan.message, /onPrem\.hosts\.object_store\[0\]\.vlan: expected "data"/);
    });

    it("duplicate names or addresses, a root SSH user, a missing key or too few NTP servers are refused", () => {
        assert.match(
            configErrorOf(editing((o) => (o.hosts.api_gateway[0].name = "dmz-lb-1"))).message,
            /api_gateway\[0\]\.name: expected a name no other host has/,
        );
        assert.match(configErrorOf(editing((o) => (o.hosts.dmz_lb[1].address = "172.16.32.11"))).message, /dmz_lb\[1\]\.address/);
        assert.match(configErrorOf(editing((o) => (o.sshUser = "root"))).message, /onPrem\.sshUser: expected a user other than root/);
        assert.match(configErrorOf(editing((o) => delete o.sshPrivateKey)).message, /onPrem\.sshPrivateKey/);
        assert.match(configErrorOf(editing((o) => (o.ntpServers = ["ntp1.example.internal"]))).message, /onPrem\.ntpServers: expected at least 2/);
    });

    it("hosts need the three VLANs of network.onPrem.cidrs", () => {
        const flat = configEditing<Json>("prod", `${PROJECT}:network`, (n) => (n.onPrem.cidrs = n.onPrem.cidrs.slice(0, 2)));
        assert.match(configErrorOf(flat).message, /network\.onPrem\.cidrs: expected the application, data, dmz VLAN CIDRs/);
    });

    it("without the section the config is valid and has no hosts", () => {
        assert.equal(loadConfig(configWith("prod", { [KEY]: undefined })).onPrem, undefined);
    });
});

describe("model/onPremFirewall: host firewalls from the flow model", () => {
    const rules = (g: (typeof ON_PREM_GROUPS)[number]) => hostFirewallRules(g, onPrem, ctx);
    const vpcHost = "10.10.64.10";

    it("the AWS-side flows into an on-prem VLAN come from FLOWS, from the VPC CIDRs, onto that VLAN's hosts", () => {
        const declared = FLOWS.filter((f) => f.intended && f.to.kind === "onPrem");
        assert.ok(declared.length > 0);
        const derived = vpnFlows(groupsIn);
        for (const f of declared) {
            const host = derived.find((d) => d.name === f.name)!;
            assert.ok(host, f.name);
            for (const g of host.to) assert.ok(admits(rules(g), vpcHost, f.protocol, f.port, inCidr), `${f.name} on ${g}`);
        }
        // nodes-to-on-prem-application-vlan: the EKS nodes reach the on-prem cluster's ingress on 443.
        assert.ok(admits(rules("k8s_nodes"), vpcHost, "tcp", HTTPS_PORT, inCidr));
    });

    it("every intended on-prem flow is admitted by its target's rules, from its source", () => {
        const sourceOf = (f: (typeof ON_PREM_HOST_FLOWS)[number]): string => {
            switch (f.from.kind) {
                case "internet":
                    return "81.2.69.160";
                case "vpc":
                    return vpcHost;
                case "vlan":
                    return hostIn(ctx.onPremCidrs[["application", "data", "dmz"].indexOf(f.from.vlan)]);
                case "group":
                    return onPrem.hosts[f.from.group][0].address;
                case "cidr":
                    return f.from.cidr.replace(/\.0\/\d+$/, ".7");
            }
        };
        for (const f of ON_PREM_HOST_FLOWS.filter((x) => x.intended)) {
            const port = f.ports === "ingress" ? onPrem.ingressPort : typeof f.ports === "number" ? f.ports : f.ports[0];
            for (const g of f.to) assert.ok(admits(rules(g), sourceOf(f), f.protocol, port, inCidr), `${f.name} on ${g}`);
        }
    });

    it("nothing else: the DMZ never reaches the data VLAN, the internet reaches only the DMZ load balancers on 443 and the health port", () => {
        assert.ok(!admits(rules("object_store"), hostIn(DMZ_VLAN), "tcp", MINIO_PORT, inCidr), "dmz-to-object-store");
        assert.ok(admits(rules("object_store"), hostIn(APP_VLAN), "tcp", MINIO_PORT, inCidr));
        const internet = "81.2.69.160";
        for (const g of ON_PREM_GROUPS)
            for (const port of [SSH_PORT, HTTPS_PORT, HEALTH_CHECK_PORT, MINIO_PORT, 6443, 9100])
                assert.equal(admits(rules(g), internet, "tcp", port, inCidr), g === "dmz_lb" && [HTTPS_PORT, HEALTH_CHECK_PORT].includes(port), `${g}:${port}`);
        // SSH only from the VPC (the deploy runner), never from a VLAN of the data centre.
        for (const g of ON_PREM_GROUPS) {
            assert.ok(admits(rules(g), vpcHost, "tcp", SSH_PORT, inCidr), g);
            for (const vlan of [APP_VLAN, DATA_VLAN, DMZ_VLAN]) assert.ok(!admits(rules(g), hostIn(vlan), "tcp", SSH_PORT, inCidr), `${g} ssh from ${vlan}`);
        }
    });

    it("the forbidden flows declared with the on-prem ones are admitted by no rule", () => {
        const forbidden = ON_PREM_HOST_FLOWS.filter((f) => !f.intended);
        assert.ok(forbidden.length > 0);
        for (const f of forbidden) for (const g of f.to) assert.ok(!rules(g).some((r) => r.flow === f.name), `${f.name} on ${g}`);
    });

    it("a flow with no source host yet renders no rule (an empty nft set would not load)", () => {
        const noGateways: OnPremHostsConfig = { ...onPrem, hosts: { ...onPrem.hosts, dmz_lb: [] } };
        assert.ok(!hostFirewallRules("api_gateway", noGateways, ctx).some((r) => r.flow === "dmz-lb-to-api-gateway"));
        assert.ok(hostFirewallRules("api_gateway", noGateways, ctx).every((r) => r.sources.length > 0));
    });
});

describe("model/onPremHosts: inventory", () => {
    const inventory = JSON.parse(renderInventory(onPrem, ctx));

    it("one group per role, each host with its address and VLAN, and the group's firewall rules", () => {
        assert.deepEqual(Object.keys(inventory.all.children), [...ON_PREM_GROUPS]);
        for (const g of ON_PREM_GROUPS) {
            const hosts = inventory.all.children[g].hosts;
            assert.deepEqual(
                Object.entries(hosts).map(([name, h]: [string, any]) => ({ name, address: h.ansible_host, vlan: h.vlan })),
                onPrem.hosts[g],
            );
            assert.deepEqual(inventory.all.children[g].vars.host_firewall_rules, hostFirewallRules(g, onPrem, ctx));
        }
    });

    it("the variables the roles read, and no secret", () => {
        const vars = inventory.all.vars;
        assert.equal(vars.portal_hostname, cfg.dns.hostname);
        assert.deepEqual(
            vars.ingress_backends,
            onPrem.hosts.k8s_nodes.map((h) => h.address),
        );
        assert.deepEqual(
            vars.dmz_lb_addresses,
            onPrem.hosts.dmz_lb.map((h) => h.address),
        );
        assert.equal(vars.api_rate_limit_per_5m, cfg.app.wafRateLimit);
        const text = renderInventory(onPrem, ctx);
        assert.ok(!text.includes(onPrem.sshPrivateKey) && !text.includes(onPrem.sshKnownHosts));
    });
});
