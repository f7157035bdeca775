-- Entity and provenance indexes.

CREATE INDEX idx_entities_workspace_type ON entities (workspace_id, type);
CREATE INDEX idx_entities_created_by ON entities (created_by) WHERE created_by IS NOT NULL;

CREATE INDEX idx_entities_source_integration ON entities (source_integration_id)
    WHERE source_integration_id IS NOT NULL;
CREATE INDEX idx_entities_source_external_id ON entities (source_external_id)
    WHERE source_external_id IS NOT NULL;

CREATE INDEX idx_entity_attribute_provenance_entity
    ON entity_attribute_provenance (entity_id);
CREATE INDEX idx_entity_attribute_provenance_source_integration
    ON entity_attribute_provenance (source_integration_id)
    WHERE source_integration_id IS NOT NULL;
