process.env.BERTH_TEST_DRIVER = 'postgres';
