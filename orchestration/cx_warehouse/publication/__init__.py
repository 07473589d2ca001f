"""Write-audit-publish: versioned publications of the marts for BI tools and reports."""
