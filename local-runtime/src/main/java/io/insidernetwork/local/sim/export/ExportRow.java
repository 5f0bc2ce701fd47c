package io.insidernetwork.local.sim.export;

/**
 * One row of a simulated Insider export file, in the column layout ingest expects by default
 * (docs/ingest-export.md, "Expected file layout"); empty strings for columns an event does not use.
 */
public record ExportRow(String user_id, String event_name, long timestamp, String event_id, String instance_id,
                        String platform, String recipients, String campaign_id, String referrer_insider_id,
                        String order_id, String amount, String currency, String store_name, String store_category,
                        String page_url) {
}
