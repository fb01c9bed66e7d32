-- 教研组: the teaching-and-research group a teacher belongs to within the school (reviews may exclude colleagues).
ALTER TABLE teacher ADD COLUMN teaching_group TEXT;
ALTER TABLE import_row ADD COLUMN teaching_group TEXT;
