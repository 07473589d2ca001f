"""cx-warehouse: customer-experience analytics warehouse orchestrated by Dagster and dbt."""
