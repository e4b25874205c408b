/**
 * JSON views of the SDK's values for the command line: records whose components are the JSON
 * fields, in a stable, documented shape. {@link dev.midplane.examples.json.InventoryView} is the
 * host topology of {@code midplane inventory --json} (schema: {@code inventory.schema.json} in this
 * package's resources); {@link dev.midplane.examples.json.ParseKind} names every text
 * {@code midplane parse} reads and maps it through the SDK's parser to a
 * {@link dev.midplane.examples.json.ParsedViews} record; {@link dev.midplane.examples.json.Json}
 * writes them with one configured Jackson mapper (every field present, {@code null} for unknown).
 */
package dev.midplane.examples.json;
