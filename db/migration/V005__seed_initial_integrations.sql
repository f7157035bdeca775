-- V005 — Seed initial integrations
-- Commit dbd845f: feat(01-04): seed v1 integration catalog
-- Inserts the v1 integration catalog. Plain INSERTs, NOT idempotent: running
-- this twice fails on the UNIQUE constraint on slug (Flyway tracks versions).

INSERT INTO integration_definitions (slug, name, category, nango_provider_key, description, capabilities)
VALUES ('hubspot', 'HubSpot', 'CRM', 'hubspot',
        'Sync contacts, companies and deals from HubSpot.',
        '{"sync": true, "objects": ["contacts", "companies", "deals"]}'::jsonb);

INSERT INTO integration_definitions (slug, name, category, nango_provider_key, description, capabilities)
VALUES ('salesforce', 'Salesforce', 'CRM', 'salesforce',
        'Sync accounts, contacts and opportunities from Salesforce.',
        '{"sync": true, "objects": ["accounts", "contacts", "opportunities"]}'::jsonb);

INSERT INTO integration_definitions (slug, name, category, nango_provider_key, description, capabilities)
VALUES ('stripe', 'Stripe', 'PAYMENTS', 'stripe',
        'Sync customers, subscriptions and invoices from Stripe.',
        '{"sync": true, "objects": ["customers", "subscriptions", "invoices"]}'::jsonb);

INSERT INTO integration_definitions (slug, name, category, nango_provider_key, description, capabilities)
VALUES ('zendesk', 'Zendesk', 'SUPPORT', 'zendesk',
        'Sync tickets and users from Zendesk.',
        '{"sync": true, "objects": ["tickets", "users"]}'::jsonb);

INSERT INTO integration_definitions (slug, name, category, nango_provider_key, description, capabilities)
VALUES ('intercom', 'Intercom', 'SUPPORT', 'intercom',
        'Sync conversations and contacts from Intercom.',
        '{"sync": true, "objects": ["conversations", "contacts"]}'::jsonb);

INSERT INTO integration_definitions (slug, name, category, nango_provider_key, description, capabilities)
VALUES ('gmail', 'Gmail', 'EMAIL', 'google-mail',
        'Sync email threads from Gmail.',
        '{"sync": true, "objects": ["threads"]}'::jsonb);
