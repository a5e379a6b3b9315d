"""Due lists on the loans' servicing set-up (policylend/loans/tests): group 2060011 "Tổ Vũ Lăng
Một" of village 20600101 (commune 206001 Vũ Lăng, point TXN206001, session day 21) with five
member households; loans of programme 01 at 6.6 % a year paid out at the office."""

from policylend.loans.tests.origination_setup import world  # noqa: F401
from policylend.loans.tests.servicing_setup import staff  # noqa: F401
