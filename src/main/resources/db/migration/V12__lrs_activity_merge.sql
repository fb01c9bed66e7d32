-- Activity definitions merge in the database, in one upsert per batch: concurrent batches that name the same
-- activities never lose each other's additions, and no definition has to be read back first.
-- Later values win; objects (language maps, extensions) merge key by key, as Statements.merge does in Java.
CREATE FUNCTION xapi_merge(a JSONB, b JSONB) RETURNS JSONB LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF jsonb_typeof(a) <> 'object' OR jsonb_typeof(b) <> 'object' THEN
        RETURN b;
    END IF;
    RETURN coalesce((SELECT jsonb_object_agg(k, CASE WHEN a ? k AND b ? k THEN xapi_merge(a -> k, b -> k)
                                                     WHEN b ? k THEN b -> k ELSE a -> k END)
                     FROM (SELECT jsonb_object_keys(a) UNION SELECT jsonb_object_keys(b)) AS keys(k)), '{}');
END
$$;
