"""Every write of the party-building face: ``imports`` (the workbook upload that starts a bulk
import) and ``responsibilities`` (the import's background job and write, the coverage export)."""
