"""Steps for fake-hardware's fake RAID, BIOS and firmware interfaces, as their real counterparts have.

Ironic 39's `fake` RAID interface has `create_configuration` and `delete_configuration`, but
neither is a clean step (the real `agent`, `redfish` and `idrac-redfish` interfaces mark them
so), and the fake BIOS and firmware interfaces have clean steps but no service steps (the
`redfish` ones have both). So on fake-hardware Ironic refuses RAID in manual cleaning ("node
does not support this clean step") and every fake setting in servicing.

This gives the fake interfaces the step markers the real ones carry, and makes the fake RAID
keep what it "built" in `raid_config` (via Ironic's own `update_raid_info`), as real RAID
interfaces do. Ironic's conductor still validates, orders, runs and records the steps: only
the machine they act on is fake, as for every other fake interface.
"""


def give_fake_interfaces_their_steps() -> None:
    from ironic.common import raid
    from ironic.drivers import base
    from ironic.drivers.modules import fake

    def create_configuration(self, task, create_root_volume=True, create_nonroot_volumes=True,
                             delete_existing=True):
        node = task.node
        raid.update_raid_info(node, node.target_raid_config or {})
        node.save()

    def delete_configuration(self, task):
        node = task.node
        node.raid_config = {}
        node.save()

    def both(method, argsinfo=None):
        method = base.clean_step(priority=0, argsinfo=argsinfo, requires_ramdisk=False)(method)
        return base.service_step(priority=0, argsinfo=argsinfo, requires_ramdisk=False)(method)

    fake.FakeRAID.create_configuration = both(create_configuration, {
        "create_root_volume": {"description": "create the root volume", "required": False},
        "create_nonroot_volumes": {"description": "create other volumes", "required": False},
        "delete_existing": {"description": "delete volumes first", "required": False},
    })
    fake.FakeRAID.delete_configuration = both(delete_configuration)
    fake.FakeBIOS.apply_configuration = base.service_step(
        priority=0, argsinfo=fake.FakeBIOS.apply_configuration._clean_step_argsinfo,
        requires_ramdisk=False)(fake.FakeBIOS.apply_configuration)
    fake.FakeFirmware.update = base.service_step(
        priority=0, argsinfo=fake.FakeFirmware.update._clean_step_argsinfo,
        requires_ramdisk=False)(fake.FakeFirmware.update)
