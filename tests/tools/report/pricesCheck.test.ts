/**
 * `npm run prices -- --check`: the offline price table against AWS's Price List, in both formats AWS
 * publishes it (the bulk offer file; `aws pricing get-products` output), on small files built in those
 * formats. Attribute names and values as AWS's price lists carry them (operatingSystem, tenancy,
 * preInstalledSw, capacitystatus; databaseEngine, deploymentOption; cacheEngine; usagetype).
 */
import * as assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { priceOf } from "../../../model/prices";
import { checkPrices, main, productsOf, tableKeyOf } from "../../../tools/prices";

const work = mkdtempSync(path.join(tmpdir(), "prices-"));
const write = (name: string, doc: unknown): string => {
    const file = path.join(work, name);
    writeFileSync(file, typeof doc === "string" ? doc : JSON.stringify(doc));
    return file;
};
const dims = (usd: string) => ({
    D1: { unit: "Hrs", pricePerUnit: { USD: usd }, description: "On Demand" },
    D0: { unit: "Hrs", pricePerUnit: { USD: "0.0000000000" }, description: "reserved instance applied" },
});
const EC2 = { operatingSystem: "Linux", tenancy: "Shared", preInstalledSw: "NA", capacitystatus: "Used", regionCode: "eu-west-2" };

/** A bulk offer file of EC2 in eu-west-2: m5.xlarge Linux, and variants the table does not price. */
function ec2Offer(m5xlarge: string) {
    const products: Record<string, unknown> = {
        A: { sku: "A", productFamily: "Compute Instance", attributes: { ...EC2, instanceType: "m5.xlarge" } },
        W: { sku: "W", productFamily: "Compute Instance", attributes: { ...EC2, instanceType: "m5.xlarge", operatingSystem: "Windows" } },
        R: { sku: "R", productFamily: "Compute Instance", attributes: { ...EC2, instanceType: "m5.xlarge", capacitystatus: "AllocatedCapacityReservation" } },
    };
    const term = (sku: string, usd: string) => ({ [`${sku}.T`]: { priceDimensions: dims(usd) } });
    return { offerCode: "AmazonEC2", products, terms: { OnDemand: { A: term("A", m5xlarge), W: term("W", "0.406"), R: term("R", "0.5") } } };
}

/** `aws pricing get-products` output for RDS PostgreSQL db.m5.xlarge in eu-west-2. */
function rdsList(singleAz: string, multiAz: string) {
    const item = (deploymentOption: string, usd: string) =>
        JSON.stringify({
            serviceCode: "AmazonRDS",
            product: {
                productFamily: "Database Instance",
                attributes: { instanceType: "db.m5.xlarge", databaseEngine: "PostgreSQL", deploymentOption, regionCode: "eu-west-2", servicecode: "AmazonRDS" },
            },
            terms: { OnDemand: { "X.T": { priceDimensions: dims(usd) } } },
        });
    return { PriceList: [item("Single-AZ", singleAz), item("Multi-AZ", multiAz)], FormatVersion: "aws_v1" };
}

describe("npm run prices -- --check (the price table against AWS's Price List)", () => {
    const table = (key: string) => priceOf(key, "eu-west-2")!.usd;

    it("reads both formats, keeping Linux shared on-demand prices and dropping $0 reservation dimensions", () => {
        const bulk = productsOf(ec2Offer("0.222"), "ec2.json");
        assert.deepEqual(
            bulk.map((p) => [tableKeyOf(p)?.key, p.hourlyUsd]),
            [
                ["ec2.instance.m5.xlarge", [0.222]],
                [undefined, [0.406]],
                [undefined, [0.5]],
            ],
        );
        const listed = productsOf(rdsList("0.412", "0.824"), "rds.json");
        assert.deepEqual(
            listed.map((p) => tableKeyOf(p)),
            [
                { key: "rds.instance.db.m5.xlarge.singleAz", region: "eu-west-2" },
                { key: "rds.instance.db.m5.xlarge.multiAz", region: "eu-west-2" },
            ],
        );
    });

    it("confirms a table entry within the tolerance, and reports one that differs or is ambiguous", () => {
        const products = [
            ...productsOf(ec2Offer(String(table("ec2.instance.m5.xlarge") * 1.02)), "a"),
            ...productsOf(rdsList(String(table("rds.instance.db.m5.xlarge.singleAz")), "0.5"), "b"),
        ];
        const checks = checkPrices(products, 3);
        const byKey = new Map(checks.map((c) => [c.key, c]));
        assert.equal(byKey.get("ec2.instance.m5.xlarge")?.verdict, "confirmed");
        assert.equal(byKey.get("rds.instance.db.m5.xlarge.singleAz")?.verdict, "confirmed");
        assert.equal(byKey.get("rds.instance.db.m5.xlarge.multiAz")?.verdict, "differs");
        assert.ok(
            checks.every((c) => c.region === "eu-west-2"),
            "only the region the files price",
        );
        assert.equal(checkPrices(products, 1).find((c) => c.key === "ec2.instance.m5.xlarge")?.verdict, "differs", "2% off is outside a 1% tolerance");
        const twice = [...productsOf(ec2Offer("0.222"), "a"), ...productsOf(ec2Offer("0.3"), "b")];
        assert.equal(checkPrices(twice, 3).find((c) => c.key === "ec2.instance.m5.xlarge")?.verdict, "ambiguous");
    });

    it("as a CLI: exit 0 when all confirm, 1 when one differs; bad input exit 2 with one line", () => {
        const out: string[] = [];
        const err: string[] = [];
        const good = write("ec2.json", ec2Offer(String(table("ec2.instance.m5.xlarge"))));
        assert.equal(
            main(
                ["--check", good],
                (l) => out.push(l),
                (l) => err.push(l),
            ),
            0,
        );
        assert.match(out.at(-1)!, /^1 table entries checked, 1 confirmed within 3%, 0 to correct$/);
        const bad = write("rds.json", rdsList("0.1", "0.2"));
        assert.equal(
            main(
                ["--check", good, bad],
                () => undefined,
                () => undefined,
            ),
            1,
        );
        const refused = (args: string[], pattern: RegExp) => {
            const lines: string[] = [];
            assert.equal(
                main(
                    args,
                    () => undefined,
                    (l) => lines.push(l),
                ),
                2,
            );
            assert.equal(lines.length, 1);
            assert.match(lines[0], pattern);
        };
        refused(["--check", path.join(work, "missing.json")], /^error: cannot read --check .*missing\.json: ENOENT$/);
        refused(["--check", write("other.json", { hello: 1 })], /is not an AWS price list/);
        refused(["--check", write("broken.json", { PriceList: ["{not json"] })], /a PriceList item is not JSON/);
        refused(["--check", good, "--tolerance", "-1"], /invalid --tolerance -1/);
    });
});
