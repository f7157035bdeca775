-- Integration platform tables.
--   integration_definitions  global catalog (not workspace-scoped, no RLS)
--   integration_connections  one connection per integration per workspace

CREATE TABLE integration_definitions (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug                varchar(100) NOT NULL UNIQUE,
    name                varchar(255) NOT NULL,
    icon_url            text,
    description         text,
    category            varchar(50) NOT NULL,
    nango_provider_key  varchar(100) NOT NULL,
    capabilities        jsonb NOT NULL DEFAULT '{}'::jsonb,
    sync_config         jsonb NOT NULL DEFAULT '{}'::jsonb,
    auth_config         jsonb NOT NULL DEFAULT '{}'::jsonb,
    active              boolean NOT NULL DEFAULT true,
    created_at          timestamp with time zone NOT NULL DEFAULT now(),
    updated_at          timestamp with time zone NOT NULL DEFAULT now()
);

CREATE TABLE integration_connections (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id         uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    integration_id       uuid NOT NULL REFERENCES integration_definitions(id),
    nango_connection_id  text,
    status               varchar(50) NOT NULL DEFAULT 'PENDING_AUTHORIZATION',
    connection_metadata  jsonb,
    created_at           timestamp with time zone NOT NULL DEFAULT now(),
    updated_at           timestamp with time zone NOT NULL DEFAULT now(),
    created_by           uuid,
    updated_by           uuid,
    UNIQUE (workspace_id, integration_id)
);
