import pytest

from cx_warehouse.contracts import SOURCES, ContractError, _entities, load_contracts
from cx_warehouse.contracts.docs import contract_markdown
from cx_warehouse.settings import PROJECT_ROOT

ISSUE_COLUMNS = {
    "crm.customers": [
        "customer_id",
        "email",
        "phone",
        "first_name",
        "last_name",
        "birth_year",
        "country",
        "region",
        "city",
        "job_role",
        "industry",
        "company_size",
        "acquisition_channel",
        "marketing_opt_in",
        "preferred_contact_channel",
        "created_at",
        "updated_at",
    ],
    "crm.touchpoints": [
        "touchpoint_id",
        "customer_id",
        "occurred_at",
        "channel",
        "touchpoint_type",
        "campaign_id",
        "device",
    ],
    "orders.orders": [
        "order_id",
        "customer_id",
        "ordered_at",
        "status",
        "sales_channel",
        "currency",
        "subtotal",
        "discount_amount",
        "shipping_amount",
        "tax_amount",
        "total_amount",
        "promised_delivery_at",
        "delivered_at",
        "updated_at",
    ],
    "orders.order_items": [
        "order_item_id",
        "order_id",
        "product_id",
        "product_category",
        "quantity",
        "unit_price",
    ],
    "orders.returns": [
        "return_id",
        "order_id",
        "requested_at",
        "reason",
        "refund_amount",
        "status",
        "updated_at",
    ],
    "tickets.tickets": [
        "ticket_id",
        "customer_id",
        "requester_email",
        "created_at",
        "channel",
        "category",
        "priority",
        "status",
        "team",
        "assignee_agent_id",
        "order_id",
        "subject",
        "description",
        "solved_at",
        "updated_at",
    ],
    "tickets.ticket_events": [
        "event_id",
        "ticket_id",
        "occurred_at",
        "event_type",
        "actor_type",
        "agent_id",
        "channel",
        "from_status",
        "to_status",
        "handle_seconds",
        "body",
    ],
    "tickets.agents": ["agent_id", "team", "site", "hired_at", "updated_at"],
    "surveys.invitations": [
        "invitation_id",
        "survey_type",
        "trigger",
        "customer_id",
        "order_id",
        "ticket_id",
        "channel",
        "sent_at",
    ],
    "surveys.responses": [
        "response_id",
        "invitation_id",
        "customer_id",
        "survey_type",
        "responded_at",
        "score",
        "comment",
        "language",
    ],
}


def test_every_entity_has_at_least_the_columns_the_issue_names():
    contracts = {e.qualified_name: e for e in load_contracts()}
    assert set(contracts) == set(ISSUE_COLUMNS)
    for name, columns in ISSUE_COLUMNS.items():
        missing = set(columns) - set(contracts[name].column_names)
        assert not missing, f"{name} lacks {missing}"
    assert {e.source for e in contracts.values()} == set(SOURCES)


def test_keys_are_required_columns():
    for entity in load_contracts():
        for key in entity.key:
            assert not entity.column(key).nullable, entity.qualified_name


def test_a_malformed_contract_is_refused(tmp_path):
    path = tmp_path / "crm.yml"
    path.write_text(
        "source: crm\nformat: csv\nentities:\n  x:\n    key: [id]\n"
        "    columns:\n      - {name: id, type: text, nullable: false}\n"
    )
    with pytest.raises(ContractError, match="type must be one of"):
        _entities(path)


def test_the_contract_document_is_up_to_date():
    committed = (PROJECT_ROOT / "docs" / "landing_contract.md").read_text()
    assert committed == contract_markdown(), "run `make contracts-doc` and commit the result"
