-- Triggers on integration tables.

CREATE TRIGGER set_integration_definitions_updated_at
    BEFORE UPDATE ON integration_definitions
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();
