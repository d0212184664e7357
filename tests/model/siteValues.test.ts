import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { Document, isMap, isScalar, isSeq, parseDocument } from "yaml";
import { PROJECT } from "../../model/config";
import {
    SITE_VALUES,
    SiteRole,
    isMalformedPagerDutyUrl,
    isSpecialUseIpv4,
    pendingSiteValues,
    siteValueAt,
    siteValueGateMessage,
    siteValuesReport,
} from "../../model/siteValues";
import { readStackConfig, stackConfigPath } from "../../tools/offline";
import { PlatformMocks } from "../../tools/mocks";
import { configWith, serially } from "../support";

const MARK = "SITE VALUE";
const STACKS: SiteRole[] = ["bootstrap", "prod", "dr"];

/**
 * The keys a stack file marks as site values: the key a "SITE VALUE" comment stands above (full key), or, for a
 * comment above a map's first key (which the yaml library keeps on the map), the map's own key: a marked map
 * holds site values below it (e.g. the three image digests under app.images).
 */
function markedKeys(doc: Document): Set<string> {
    const marked = new Set<string>();
    const fullKey = (path: string[]): string => {
        const [first, ...rest] = path;
        return first.includes(":") ? [first, ...rest].join(".") : `${PROJECT}:${path.join(".")}`;
    };
    const walk = (node: unknown, path: string[]): void => {
        if (!isMap(node)) return;
        if (path.length > 0 && `${node.commentBefore ?? ""}`.includes(MARK)) marked.add(fullKey(path));
        for (const pair of node.items) {
            const here = [...path, isScalar(pair.key) ? String(pair.key.value) : ""];
            if (`${(pair.key as { commentBefore?: string } | null)?.commentBefore ?? ""}`.includes(MARK)) marked.add(fullKey(here));
            if (!isSeq(pair.value)) walk(pair.value, here);
        }
    };
    walk(doc.get("config", true), []);
    return marked;
}

/** The declared site values of a role at or below a marked key. */
const declaredUnder = (key: string, role: SiteRole) =>
    SITE_VALUES.filter((e) => e.examples[role] !== undefined && (e.key === key || e.key.startsWith(`${key}.`)));

const stackFiles = STACKS.filter((s) => existsSync(stackConfigPath(s)));

describe("model/siteValues", () => {
    for (const stack of stackFiles) {
        it(`${stack}: every value the stack file marks as a site value is declared, with that example`, () => {
            const marked = markedKeys(parseDocument(readFileSync(stackConfigPath(stack), "utf8")));
            const flat = readStackConfig(stackConfigPath(stack));
            assert.ok(marked.size > 0, "the committed stack file marks its examples");
            for (const key of marked) {
                const declared = declaredUnder(key, stack).filter((e) => siteValueAt(flat, e.key) !== undefined);
                assert.ok(
                    declared.length > 0,
                    `${key} is marked in Pulumi.${stack}.yaml but no site value of ${stack} is declared there (model/siteValues.ts)`,
                );
                for (const entry of declared)
                    assert.equal(
                        siteValueAt(flat, entry.key),
                        entry.examples[stack],
                        `${entry.key}: Pulumi.${stack}.yaml's example differs from the declared one`,
                    );
            }
        });

        it(`${stack}: every declared site value the stack file sets is marked, and no fake ciphertext`, () => {
            const text = readFileSync(stackConfigPath(stack), "utf8");
            const marked = markedKeys(parseDocument(text));
            const flat = readStackConfig(stackConfigPath(stack));
            for (const entry of SITE_VALUES) {
                if (entry.examples[stack] === undefined || siteValueAt(flat, entry.key) === undefined) continue;
                const covered = [...marked].some((key) => entry.key === key || entry.key.startsWith(`${key}.`));
                assert.ok(covered, `${entry.key} is set in Pulumi.${stack}.yaml without a "${MARK}" comment`);
            }
            // Only this stack's secrets provider can write a secure: value; a made-up one fails decryption of the whole config.
            assert.doesNotMatch(text, /secure:\s*v1:placeholder/);
        });
    }

    it("the committed prod stack's examples are pending: listed with their reason, in declaration order", () => {
        const flat = readStackConfig(stackConfigPath("prod"));
        const keys = siteValuesReport(flat, "prod").map((v) => v.key);
        assert.deepEqual(keys, [
            `${PROJECT}:ci.githubRepository`,
            `${PROJECT}:app.images.djangoWeb.digest`,
            `${PROJECT}:app.images.fastapiApi.digest`,
            `${PROJECT}:app.images.celeryWorker.digest`,
            `${PROJECT}:network.onPrem.vpnPeerAddress`,
            `${PROJECT}:network.onPrem.dns.domains`,
            `${PROJECT}:network.onPrem.dns.serverAddresses`,
            `${PROJECT}:alerts.pagerDutyEndpoint`,
            `${PROJECT}:onPremObjectStorePassword`,
            `${PROJECT}:data.onPremObjectStore.syncAgentCaCertificate`,
            // issue #16: the on-prem hosts.
            `${PROJECT}:onPrem.hosts`,
            `${PROJECT}:onPrem.sshPrivateKey`,
            `${PROJECT}:onPrem.sshKnownHosts`,
            `${PROJECT}:onPrem.socSyslog.host`,
            `${PROJECT}:onPrem.ntpServers`,
        ]);
        for (const v of siteValuesReport(flat, "prod")) assert.ok(v.why.length > 20 && !v.example.includes("\n"), v.key);
    });

    it("dr: the GSLB's on-prem address is a site value (Route 53 refuses to health-check special-use addresses)", () => {
        const keys = pendingSiteValues(readStackConfig(stackConfigPath("dr")), "dr").map((v) => v.key);
        assert.ok(keys.includes(`${PROJECT}:dr.gslb.onPrem.address`));
        assert.ok(!keys.includes(`${PROJECT}:onPremObjectStorePassword`), "prod's values are not dr's");
    });

    it("an address in any special-use range is refused, not only the example", () => {
        for (const address of ["203.0.113.99", "198.51.100.7", "192.0.2.1", "10.1.2.3", "100.64.0.1", "198.18.0.1"])
            assert.ok(isSpecialUseIpv4(address), address);
        for (const address of ["81.2.69.160", "51.140.1.1"]) assert.ok(!isSpecialUseIpv4(address), address);
        const flat = configEditingDr((c) => (c.gslb.onPrem.address = "198.51.100.7"));
        assert.ok(pendingSiteValues(flat, "dr").some((v) => v.key === `${PROJECT}:dr.gslb.onPrem.address`));
    });

    it("a PagerDuty URL with something else than a 32-character integration key is refused (SNS would wait for a confirmation that never comes)", () => {
        assert.ok(isMalformedPagerDutyUrl("https://events.pagerduty.com/integration/my-service/enqueue"));
        assert.ok(!isMalformedPagerDutyUrl("https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue"));
        assert.ok(!isMalformedPagerDutyUrl("https://hooks.example-oncall.net/sns"), "other providers are not judged");
    });

    it("the gate's one line names each pending key with its exact set command, and is silent once all are real", () => {
        const flat = readStackConfig(stackConfigPath("prod"));
        const message = siteValueGateMessage(flat, "prod", "prod")!;
        assert.equal(message.split("\n").length, 1);
        assert.match(message, /nothing was created/);
        assert.ok(message.includes("hybrid-platform:onPremObjectStorePassword (pulumi config set --secret onPremObjectStorePassword"), message);
        assert.ok(message.includes("network.onPrem.vpnPeerAddress <public IPv4 of the on-prem VPN device> --stack prod"), message);
        assert.equal(siteValueGateMessage(realProdConfig(), "prod", "prod"), undefined);
    });

    it("a real pulumi preview/up (not the mocks) stops in index.ts with a RunError before registering anything", async () => {
        await serially(async () => {
            const flat = readStackConfig(stackConfigPath("prod"));
            pulumi.runtime.setAllConfig(flat, []);
            await pulumi.runtime.setMocks(new PlatformMocks({ region: "eu-west-2", preview: true }), PROJECT, "prod", true);
            const mock = pulumi.runtime.getMonitor() as unknown as Record<string, (...a: unknown[]) => unknown>;
            const registered: unknown[] = [];
            // The engine's monitor as a real run has it: anything but the SDK's MockMonitor.
            const engine = {
                registerResource: (...a: unknown[]) => (registered.push(a[0]), mock.registerResource(...a)),
                readResource: (...a: unknown[]) => (registered.push(a[0]), mock.readResource(...a)),
                supportsFeature: (...a: unknown[]) => mock.supportsFeature(...a),
                invoke: (...a: unknown[]) => mock.invoke(...a),
            };
            pulumi.runtime.setMockOptions(engine, PROJECT, "prod", true);
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const program = require("../../index") as () => Promise<Record<string, unknown>>;
            await assert.rejects(program(), (e: Error) => {
                assert.ok(pulumi.RunError.isInstance(e), String(e));
                assert.match(e.message, /^site values still at their example .*hybrid-platform:network\.onPrem\.vpnPeerAddress/);
                return true;
            });
            assert.deepEqual(registered, [], "nothing registered");
        });
    });
});

function configEditingDr(edit: (dr: any) => void): Record<string, string> {
    const flat = readStackConfig(stackConfigPath("dr"));
    const dr = JSON.parse(flat[`${PROJECT}:dr`]);
    edit(dr);
    return { ...flat, [`${PROJECT}:dr`]: JSON.stringify(dr) };
}

/** The prod config with every site value set to a real-looking value. */
function realProdConfig(): Record<string, string> {
    const flat = configWith("prod", {
        [`${PROJECT}:onPremObjectStorePassword`]: "a-real-password-from-the-vault",
        [`${PROJECT}:ci`]: JSON.stringify({ githubRepository: "gov-digital/hybrid-platform" }),
    });
    const network = JSON.parse(flat[`${PROJECT}:network`]);
    network.onPrem.vpnPeerAddress = "81.2.69.160";
    network.onPrem.dns = { domains: ["dc1.gov-digital.internal"], serverAddresses: ["172.16.0.53", "172.16.16.53"] };
    const alerts = JSON.parse(flat[`${PROJECT}:alerts`]);
    alerts.pagerDutyEndpoint = "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue";
    const data = JSON.parse(flat[`${PROJECT}:data`]);
    data.onPremObjectStore.syncAgentCaCertificate = "-----BEGIN CERTIFICATE-----\nMIIreal\n-----END CERTIFICATE-----\n";
    // Digests CI read back from ECR after pushing the release (README "First deploy of a new account").
    const app = JSON.parse(flat[`${PROJECT}:app`]);
    for (const [i, key] of ["djangoWeb", "fastapiApi", "celeryWorker"].entries()) app.images[key].digest = `sha256:${"ab".repeat(31)}0${i + 1}`;
    // issue #16: the site's own hosts, key, known hosts, SOC receiver and NTP servers.
    const onPrem = JSON.parse(flat[`${PROJECT}:onPrem`]);
    onPrem.hosts.dmz_lb[0].address = "172.16.32.41";
    onPrem.sshPrivateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nreal\n-----END OPENSSH PRIVATE KEY-----\n";
    onPrem.sshKnownHosts = "172.16.32.41 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIReal";
    onPrem.socSyslog.host = "syslog.soc.gov-digital.internal";
    onPrem.ntpServers = ["172.16.0.123", "172.16.16.123"];
    return {
        ...flat,
        [`${PROJECT}:onPrem`]: JSON.stringify(onPrem),
        [`${PROJECT}:app`]: JSON.stringify(app),
        [`${PROJECT}:network`]: JSON.stringify(network),
        [`${PROJECT}:alerts`]: JSON.stringify(alerts),
        [`${PROJECT}:data`]: JSON.stringify(data),
    };
}
