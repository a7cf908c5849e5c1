-- weightsBeforeDrain reads one real server's newest rows without a scan
CREATE INDEX audit_target ON audit(director, target, id);
